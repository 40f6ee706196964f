"""panel positions: judge, chief judge, deputy chief judge

A panel member's ``is_chief`` flag becomes their ``position`` on the trade: a chief stays
``chief``, everyone else becomes ``judge``; ``deputy`` (副裁判长) is new. Downgrading keeps the
chiefs as chiefs; a deputy goes back to an ordinary judge, the only thing the old flag can say.

Revision ID: 14a_deputies
Revises: 13d_jobs
Create Date: 2026-12-08 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '14a_deputies'
down_revision = '13d_jobs'
branch_labels = None
depends_on = None

POSITION = sa.Enum('judge', 'chief', 'deputy', name='position', native_enum=False,
                   create_constraint=True, length=20)


def assignments():
    return sa.table('judge_assignment', sa.column('id', sa.Integer),
                    sa.column('is_chief', sa.Boolean), sa.column('position', sa.String))


def upgrade():
    with op.batch_alter_table('judge_assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position', POSITION, nullable=False,
                                      server_default='judge'))
    table = assignments()
    op.execute(table.update().where(table.c.is_chief.is_(sa.true())).values(position='chief'))
    with op.batch_alter_table('judge_assignment', schema=None) as batch_op:
        batch_op.alter_column('position', server_default=None)
        batch_op.drop_column('is_chief')


def downgrade():
    with op.batch_alter_table('judge_assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_chief', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    table = assignments()
    op.execute(table.update().where(table.c.position == 'chief').values(is_chief=True))
    with op.batch_alter_table('judge_assignment', schema=None) as batch_op:
        batch_op.alter_column('is_chief', server_default=None)
        batch_op.drop_constraint(batch_op.f('ck_judge_assignment_position'), type_='check')
        batch_op.drop_column('position')
