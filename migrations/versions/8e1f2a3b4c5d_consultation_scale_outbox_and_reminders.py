"""consultation scale: outbox rows rendered at delivery, due-time index of Delphi rounds

Revision ID: 8e1f2a3b4c5d
Revises: 9e4b1f3a2c55
Create Date: 2026-11-29 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8e1f2a3b4c5d'
down_revision = '9e4b1f3a2c55'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('context', sa.JSON(), nullable=True))
    with op.batch_alter_table('delphi_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delphi_rounds_closes_at'), ['closes_at'], unique=False)


def downgrade():
    with op.batch_alter_table('delphi_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delphi_rounds_closes_at'))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('context')
