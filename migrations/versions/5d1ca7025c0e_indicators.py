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
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('roadmap_action_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('definition', sa.Text(), nullable=False),
    sa.Column('unit', sa.Enum('PERCENT', 'COUNT', 'YES_NO', 'CURRENCY', name='unit', native_enum=False, length=20), nullable=False),
    sa.Column('currency_code', sa.String(length=3), nullable=True),
    sa.Column('direction', sa.Enum('HIGHER_IS_BETTER', 'LOWER_IS_BETTER', name='direction', native_enum=False, length=20), nullable=False),
    sa.Column('baseline_low', sa.Float(), nullable=False),
    sa.Column('baseline_high', sa.Float(), nullable=True),
    sa.Column('baseline_on', sa.Date(), nullable=False),
    sa.Column('target_value', sa.Float(), nullable=False),
    sa.Column('target_on', sa.Date(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('tolerance', sa.Float(), nullable=False),
    sa.Column('data_source', sa.String(length=500), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('baseline_high IS NULL OR baseline_high >= baseline_low', name=op.f('ck_indicators_baseline_range')),
    sa.CheckConstraint('target_on > baseline_on', name=op.f('ck_indicators_target_after_baseline')),
    sa.CheckConstraint('tolerance >= 0 AND tolerance <= 1', name=op.f('ck_indicators_tolerance_share')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_indicators_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['roadmap_action_id'], ['roadmap_actions.id'], name=op.f('fk_indicators_roadmap_action_id_roadmap_actions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators'))
    )

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_roadmap_action_id'), ['roadmap_action_id'], unique=False)

    op.create_table('indicator_measurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('note', sa.String(length=2000), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_indicator_measurements_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_indicator_measurements_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_measurements')),
    sa.UniqueConstraint('indicator_id', 'scope', 'measured_on', name=op.f('uq_indicator_measurements_indicator_id_scope_measured_on'))
    )

    with op.batch_alter_table('indicator_measurements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_measurements_indicator_id'), ['indicator_id'], unique=False)


def downgrade():
    with op.batch_alter_table('indicator_measurements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_measurements_indicator_id'))

    op.drop_table('indicator_measurements')

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_roadmap_action_id'))

    op.drop_table('indicators')
