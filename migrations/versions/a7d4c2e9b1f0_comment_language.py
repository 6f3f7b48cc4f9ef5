"""the language each comment was written in (workshop, consultation and minutes comments)

Revision ID: a7d4c2e9b1f0
Revises: f3c8a1d2e4b6
Create Date: 2026-12-03 08:00:00

Participants' own text keeps the language it was written in: the interface language of its author when
posting ("en", "zh"), shown as the comment body's `lang`. Unknown (NULL) for comments written before.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d4c2e9b1f0'
down_revision = 'f3c8a1d2e4b6'
branch_labels = None
depends_on = None

TABLES = ('comments', 'minutes_comments')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('language', sa.String(8), nullable=True))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('language')
