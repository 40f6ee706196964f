"""published facts frozen with the version, certificate check codes

Each published version keeps the trade's public facts as they were published: its names, whether
it is a demonstration trade, and how the event's medal table names its columns. Versions published
before this revision get them from the trade and the event's award rule as they are now (the best
record there is). Each event gets a random results stamp (the key of its cached public results),
drawn anew with every change of them. Certificate check codes need no column: they are part of
the number, and the numbers issued before keep working as they are.

Revision ID: 13b_results
Revises: 13a0_counters
Create Date: 2026-12-01 18:00:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '13b_results'
down_revision = '13a0_counters'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_stamp', sa.String(length=32), server_default='',
                                      nullable=False))
    event = sa.table('event', sa.column('id', sa.Integer), sa.column('results_stamp', sa.String))
    connection = op.get_bind()
    for (event_id,) in connection.execute(sa.select(event.c.id)).all():
        connection.execute(event.update().where(event.c.id == event_id)
                           .values(results_stamp=secrets.token_hex(16)))

    with op.batch_alter_table('result_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('medal_labels', sa.String(length=10),
                                      server_default='medals', nullable=False))
        batch_op.add_column(sa.Column('trade_name_zh', sa.String(length=100), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('trade_name_en', sa.String(length=100), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('is_demonstration', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))

    version = sa.table('result_version', sa.column('trade_id', sa.Integer),
                       sa.column('event_id', sa.Integer),
                       sa.column('medal_labels', sa.String), sa.column('trade_name_zh', sa.String),
                       sa.column('trade_name_en', sa.String),
                       sa.column('is_demonstration', sa.Boolean))
    trade = sa.table('trade', sa.column('id', sa.Integer), sa.column('name_zh', sa.String),
                     sa.column('name_en', sa.String), sa.column('is_demonstration', sa.Boolean))
    rule = sa.table('award_rule', sa.column('event_id', sa.Integer),
                    sa.column('trade_id', sa.Integer), sa.column('labels', sa.String))

    def of_trade(column):
        return (sa.select(column).where(trade.c.id == version.c.trade_id)
                .scalar_subquery())

    event_labels = (sa.select(rule.c.labels)
                    .where(rule.c.event_id == version.c.event_id, rule.c.trade_id.is_(None))
                    .scalar_subquery())
    op.execute(version.update().values(
        trade_name_zh=sa.func.coalesce(of_trade(trade.c.name_zh), ''),
        trade_name_en=sa.func.coalesce(of_trade(trade.c.name_en), ''),
        is_demonstration=sa.func.coalesce(of_trade(trade.c.is_demonstration), sa.false()),
        medal_labels=sa.func.coalesce(event_labels, 'medals')))


def downgrade():
    with op.batch_alter_table('result_version', schema=None) as batch_op:
        batch_op.drop_column('is_demonstration')
        batch_op.drop_column('trade_name_en')
        batch_op.drop_column('trade_name_zh')
        batch_op.drop_column('medal_labels')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('results_stamp')
