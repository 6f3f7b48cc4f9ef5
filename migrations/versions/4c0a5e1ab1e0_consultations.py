"""consultations

Revision ID: 4c0a5e1ab1e0
Revises: 351835895915
Create Date: 2026-11-28 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4c0a5e1ab1e0'
down_revision = '351835895915'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
