"""Shared storage for generated files (database back-end) and the scheduler heartbeat

Compiled-minutes exports move from files on the scheduler's disk to the storage interface:
export_jobs.file_path becomes file_key. A file made before this migration is not carried over (exports
live 7 days; the requester compiles again).

Revision ID: 9e4b1f3a2c55
Revises: 7c2d4e6f8a10
Create Date: 2026-05-01 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '9e4b1f3a2c55'
down_revision = '7c2d4e6f8a10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_files')),
    sa.UniqueConstraint('key', name=op.f('uq_stored_files_key'))
    )
    op.create_table('stored_file_chunks',
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_files.id'], name=op.f('fk_stored_file_chunks_file_id_stored_files'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('file_id', 'position', name=op.f('pk_stored_file_chunks'))
    )
    op.create_table('scheduler_heartbeats',
    sa.Column('process', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_tick_seconds', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('process', name=op.f('pk_scheduler_heartbeats'))
    )
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_key', sa.String(length=200), nullable=True))
        batch_op.drop_column('file_path')


def downgrade():
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_path', sa.String(length=500), nullable=True))
        batch_op.drop_column('file_key')
    op.drop_table('scheduler_heartbeats')
    op.drop_table('stored_file_chunks')
    op.drop_table('stored_files')
