"""bilingual consortium content: a Chinese column beside each English one; the language of each Delphi response

Revision ID: f3c8a1d2e4b6
Revises: b5e1d9c3a7f2
Create Date: 2026-12-03 07:30:00

English stays in the existing columns; each `<field>_zh` column holds the Chinese wording (empty when
there is none yet, so existing rows read as English only). Plain columns, so SQLite and PostgreSQL
search and sort them alike.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3c8a1d2e4b6'
down_revision = 'b5e1d9c3a7f2'
branch_labels = None
depends_on = None

# table → [(column, type)]: the Chinese twin of each bilingual column.
COLUMNS = {
    'pillars': [('name_zh', sa.String(200))],
    'working_groups': [('name_zh', sa.String(200)), ('description_zh', sa.Text())],
    'themes': [('name_zh', sa.String(200))],
    'sub_topics': [('name_zh', sa.String(200))],
    'workshops': [('title_zh', sa.String(200)), ('description_zh', sa.Text())],
    'agenda_items': [('title_zh', sa.String(200)), ('description_zh', sa.Text())],
    'delphi_surveys': [('title_zh', sa.String(200)), ('description_zh', sa.Text())],
    'delphi_items': [('text_zh', sa.String(2000)), ('explanation_zh', sa.Text())],
    'delphi_round_items': [('text_zh', sa.String(2000)), ('explanation_zh', sa.Text())],
    'priorities': [('text_zh', sa.String(2000))],
    'consultations': [('title_zh', sa.String(200)), ('body_zh', sa.Text()), ('body_html_zh', sa.Text())],
    'roadmap_actions': [('title_zh', sa.String(200)), ('description_zh', sa.Text()), ('description_html_zh', sa.Text())],
    'indicators': [('name_zh', sa.String(200)), ('definition_zh', sa.Text())],
}


def upgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, type_ in columns:
                batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=''))
    with op.batch_alter_table('delphi_consensus_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scale_labels_zh', sa.JSON(), nullable=True))
    with op.batch_alter_table('delphi_responses', schema=None) as batch_op:
        # The interface language the panellist answered in (en, zh); unknown for earlier responses.
        batch_op.add_column(sa.Column('language', sa.String(8), nullable=True))


def downgrade():
    with op.batch_alter_table('delphi_responses', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('delphi_consensus_rules', schema=None) as batch_op:
        batch_op.drop_column('scale_labels_zh')
    for table, columns in reversed(list(COLUMNS.items())):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _type in reversed(columns):
                batch_op.drop_column(name)
