"""measurement marks entered once: a trade may ask a second judge to confirm them

``trade.confirm_measurements`` (default off) is new. The marks are kept as they are: a
measurement several judges typed before stays several judges' marks (if they differ, the chief
judge still sees the discrepancy), and from now on the next judge sees the entry read-only.

Revision ID: 14b_measurement
Revises: 14a_deputies
Create Date: 2026-12-01 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '14b_measurement'
down_revision = '14a_deputies'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('trade', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirm_measurements', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('trade', schema=None) as batch_op:
        batch_op.drop_column('confirm_measurements')
