"""published facts frozen with the version, certificate check codes

Revision ID: 13b_results
Revises: 13a0_counters
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '13b_results'
down_revision = '13a0_counters'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
