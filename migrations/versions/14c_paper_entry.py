"""two-person paper entry: paper_entry and paper_cell

Revision ID: 14c_paper_entry
Revises: 14b_measurement
Create Date: 2026-12-01 17:00:00

New tables only: no existing row changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '14c_paper_entry'
down_revision = '14b_measurement'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('paper_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('trade_id', sa.Integer(), nullable=False),
    sa.Column('judge_id', sa.Integer(), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=255), server_default='', nullable=False),
    sa.Column('status', sa.Enum('pending', 'confirmed', 'rejected', name='entrystatus', native_enum=False, create_constraint=True, length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=500), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_paper_entry_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_paper_entry_entered_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_paper_entry_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['judge_id'], ['user.id'], name=op.f('fk_paper_entry_judge_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['trade_id'], ['trade.id'], name=op.f('fk_paper_entry_trade_id_trade'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_entry'))
    )
    with op.batch_alter_table('paper_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_entry_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_paper_entry_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_paper_entry_trade_id'), ['trade_id'], unique=False)

    op.create_table('paper_cell',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('entrant_id', sa.Integer(), nullable=False),
    sa.Column('aspect_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=9, scale=3), nullable=False),
    sa.Column('text', sa.String(length=40), server_default='', nullable=False),
    sa.Column('sheet_row', sa.Integer(), server_default='0', nullable=False),
    sa.Column('sheet_column', sa.String(length=120), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['aspect_id'], ['aspect.id'], name=op.f('fk_paper_cell_aspect_id_aspect'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entrant_id'], ['entrant.id'], name=op.f('fk_paper_cell_entrant_id_entrant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['paper_entry.id'], name=op.f('fk_paper_cell_entry_id_paper_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_cell')),
    sa.UniqueConstraint('entry_id', 'entrant_id', 'aspect_id', name=op.f('uq_paper_cell_entry_id_entrant_id_aspect_id'))
    )
    with op.batch_alter_table('paper_cell', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_cell_entry_id'), ['entry_id'], unique=False)


def downgrade():
    with op.batch_alter_table('paper_cell', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_cell_entry_id'))
    op.drop_table('paper_cell')
    with op.batch_alter_table('paper_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_entry_trade_id'))
        batch_op.drop_index(batch_op.f('ix_paper_entry_status'))
        batch_op.drop_index(batch_op.f('ix_paper_entry_event_id'))
    op.drop_table('paper_entry')
