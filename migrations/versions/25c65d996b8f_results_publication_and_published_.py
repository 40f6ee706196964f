"""results: publication and published versions

Revision ID: 25c65d996b8f
Revises: e56210b65031
Create Date: 2026-11-25 16:46:35.949832

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '25c65d996b8f'
down_revision = 'e56210b65031'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('result_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('trade_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('is_amendment', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('scaling', sa.String(length=20), nullable=False),
    sa.Column('labels', sa.String(length=10), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.CheckConstraint("NOT is_amendment OR reason <> ''", name=op.f('ck_result_version_amendment_has_reason')),
    sa.CheckConstraint('(number = 1) = (NOT is_amendment)', name=op.f('ck_result_version_amendment_after_first')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_result_version_number_positive')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_result_version_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_result_version_published_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['trade_id'], ['trade.id'], name=op.f('fk_result_version_trade_id_trade'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_result_version')),
    sa.UniqueConstraint('trade_id', 'number', name=op.f('uq_result_version_trade_id_number'))
    )
    with op.batch_alter_table('result_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_result_version_event_id'), ['event_id'], unique=False)
        batch_op.create_index('ix_result_version_event_trade_number', ['event_id', 'trade_id', 'number'], unique=False)
        batch_op.create_index(batch_op.f('ix_result_version_trade_id'), ['trade_id'], unique=False)

    op.create_table('result_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('entrant_id', sa.Integer(), nullable=True),
    sa.Column('delegation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('place', sa.Integer(), nullable=True),
    sa.Column('tied', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Numeric(precision=9, scale=3), nullable=True),
    sa.Column('score', sa.Numeric(precision=9, scale=3), nullable=True),
    sa.Column('tier', sa.Integer(), nullable=True),
    sa.Column('excellence', sa.Boolean(), nullable=False),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('number', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('members', sa.JSON(), nullable=False),
    sa.Column('delegation_code', sa.String(length=20), nullable=False),
    sa.Column('delegation_name_zh', sa.String(length=100), nullable=False),
    sa.Column('delegation_name_en', sa.String(length=100), nullable=False),
    sa.CheckConstraint('place IS NULL OR place >= 1', name=op.f('ck_result_line_place_positive')),
    sa.CheckConstraint('tier IS NULL OR NOT excellence', name=op.f('ck_result_line_excellence_without_tier')),
    sa.CheckConstraint('tier IS NULL OR tier BETWEEN 1 AND 3', name=op.f('ck_result_line_tier_known')),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegation.id'], name=op.f('fk_result_line_delegation_id_delegation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['entrant_id'], ['entrant.id'], name=op.f('fk_result_line_entrant_id_entrant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['result_version.id'], name=op.f('fk_result_line_version_id_result_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_result_line')),
    sa.UniqueConstraint('version_id', 'position', name=op.f('uq_result_line_version_id_position'))
    )
    with op.batch_alter_table('result_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_result_line_delegation_id'), ['delegation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_result_line_entrant_id'), ['entrant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_result_line_version_id'), ['version_id'], unique=False)

    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_embargoed', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('results_released_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('criterion_marks_public', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('results_version', sa.Integer(), server_default='0', nullable=False))




def downgrade():
    
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('results_version')
        batch_op.drop_column('criterion_marks_public')
        batch_op.drop_column('results_released_at')
        batch_op.drop_column('results_embargoed')

    with op.batch_alter_table('result_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_result_line_version_id'))
        batch_op.drop_index(batch_op.f('ix_result_line_entrant_id'))
        batch_op.drop_index(batch_op.f('ix_result_line_delegation_id'))

    op.drop_table('result_line')
    with op.batch_alter_table('result_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_result_version_trade_id'))
        batch_op.drop_index('ix_result_version_event_trade_number')
        batch_op.drop_index(batch_op.f('ix_result_version_event_id'))

    op.drop_table('result_version')

