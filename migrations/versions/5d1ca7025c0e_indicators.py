"""indicators, measurements

Revision ID: 5d1ca7025c0e
Revises: 4c0a5e1ab1e0
Create Date: 2026-11-28 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1ca7025c0e'
down_revision = '4c0a5e1ab1e0'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
