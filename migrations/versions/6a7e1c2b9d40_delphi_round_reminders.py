"""delphi round reminder schedule

Revision ID: 6a7e1c2b9d40
Revises: 5d1ca7025c0e
Create Date: 2026-11-28 15:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6a7e1c2b9d40'
down_revision = '5d1ca7025c0e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('delphi_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_minutes', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('delphi_rounds', schema=None) as batch_op:
        batch_op.drop_column('reminder_minutes')
