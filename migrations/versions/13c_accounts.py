"""account events, forced password changes, case-folded usernames

Revision ID: 13c_accounts
Revises: 13b_results
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '13c_accounts'
down_revision = '13b_results'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
