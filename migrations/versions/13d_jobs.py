"""background jobs with leases and kinds

Revision ID: 13d_jobs
Revises: 13c_accounts
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '13d_jobs'
down_revision = '13c_accounts'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
