"""two-person paper entry (placeholder until filled)

Revision ID: 14c_paper_entry
Revises: 14b_measurement
Create Date: 2026-12-01 17:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = '14c_paper_entry'
down_revision = '14b_measurement'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
