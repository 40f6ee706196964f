"""measurement marks entered once (placeholder until filled)

Revision ID: 14b_measurement
Revises: 14a_deputies
Create Date: 2026-12-01 17:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '14b_measurement'
down_revision = '14a_deputies'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
