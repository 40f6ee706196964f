"""shared counters for limits across workers (login throttling, verification)

Revision ID: 13a0_counters
Revises: ac9b730c09a4
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '13a0_counters'
down_revision = 'ac9b730c09a4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('counter',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_counter'))
    )
    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_counter_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('counter', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_counter_expires_at'))
    op.drop_table('counter')
