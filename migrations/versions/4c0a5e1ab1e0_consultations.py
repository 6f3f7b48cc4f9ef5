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
    op.create_table('consultations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('working_group_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('audience', sa.Enum('WORKING_GROUP', 'EVERYONE', 'LISTED', name='audience', native_enum=False, length=20), nullable=False),
    sa.Column('opened_notice_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminder_minutes', sa.String(length=100), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_consultations_closes_after_opens')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_consultations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['working_group_id'], ['working_groups.id'], name=op.f('fk_consultations_working_group_id_working_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultations'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultations_closes_at'), ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_opens_at'), ['opens_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultations_working_group_id'), ['working_group_id'], unique=False)

    op.create_table('consultation_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_consultation_comments_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_comments_consultation_id_consultations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_comments'))
    )
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_comments_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('consultation_invitees',
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_invitees_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_consultation_invitees_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('consultation_id', 'user_id', name=op.f('pk_consultation_invitees'))
    )
    with op.batch_alter_table('consultation_invitees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_invitees_user_id'), ['user_id'], unique=False)

    op.create_table('consultation_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('MINUTES', 'PRIORITY_LIST', 'ROADMAP', name='referencekind', native_enum=False, length=20), nullable=False),
    sa.Column('minutes_id', sa.Integer(), nullable=True),
    sa.Column('pillar_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'MINUTES' AND minutes_id IS NOT NULL AND pillar_id IS NULL) OR (kind = 'PRIORITY_LIST' AND pillar_id IS NOT NULL AND minutes_id IS NULL) OR (kind = 'ROADMAP' AND minutes_id IS NULL AND pillar_id IS NULL)", name=op.f('ck_consultation_references_reference_target')),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_consultation_references_consultation_id_consultations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['minutes_id'], ['minutes.id'], name=op.f('fk_consultation_references_minutes_id_minutes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pillar_id'], ['pillars.id'], name=op.f('fk_consultation_references_pillar_id_pillars'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_references'))
    )
    with op.batch_alter_table('consultation_references', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_references_consultation_id'), ['consultation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('consultation_references', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_references_consultation_id'))

    op.drop_table('consultation_references')
    with op.batch_alter_table('consultation_invitees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_invitees_user_id'))

    op.drop_table('consultation_invitees')
    with op.batch_alter_table('consultation_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_comments_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_comments_author_id'))

    op.drop_table('consultation_comments')
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultations_working_group_id'))
        batch_op.drop_index(batch_op.f('ix_consultations_opens_at'))
        batch_op.drop_index(batch_op.f('ix_consultations_closes_at'))

    op.drop_table('consultations')
