"""delphi disclosure mode, groups stored on responses, round results snapshots; idempotency keys

Revision ID: b5e1d9c3a7f2
Revises: 6247647ef35c
Create Date: 2026-12-02 10:00:00

Responses submitted before this revision get the region group and category of their panellist's
profile as it is now (the best that is known); later submissions store their own at submission.
Priorities finalised before it lose the per-group part of their final statistics: it was suppressed
one dimension at a time, which let hidden groups be worked out (the whole panel's figures stay).
"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5e1d9c3a7f2'
down_revision = '6247647ef35c'
branch_labels = None
depends_on = None

EU_MEMBER_STATES = (
    'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT',
    'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
)


def upgrade():
    with op.batch_alter_table('delphi_surveys', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'disclosure_mode',
            sa.Enum('GROUP_RESULTS', 'RESPONSE_MATRIX', name='disclosuremode', native_enum=False, length=20),
            nullable=False,
            server_default='GROUP_RESULTS',
        ))

    with op.batch_alter_table('delphi_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'region_group', sa.Enum('EU', 'CHINA', 'OTHER', name='regiongroup', native_enum=False, length=10),
            nullable=True,
        ))
        batch_op.add_column(sa.Column(
            'category',
            sa.Enum('POLICYMAKER', 'REGULATOR_HTA', 'PAYER', 'HEALTHCARE_PROFESSIONAL', 'PATIENT_CITIZEN_ORGANISATION',
                    'ACADEMIA_RESEARCH', 'INDUSTRY', 'FUNDER', 'OTHER', name='stakeholdercategory', native_enum=False,
                    length=40),
            nullable=True,
        ))
    eu = ", ".join(f"'{code}'" for code in EU_MEMBER_STATES)
    op.execute(
        "UPDATE delphi_responses SET "
        "region_group = (SELECT CASE WHEN users.region IN (" + eu + ") THEN 'EU' "
        "WHEN users.region LIKE 'CN-%' THEN 'CHINA' ELSE 'OTHER' END "
        "FROM users WHERE users.id = delphi_responses.panellist_id), "
        "category = (SELECT users.category FROM users WHERE users.id = delphi_responses.panellist_id) "
        "WHERE status = 'SUBMITTED'"
    )

    bind = op.get_bind()
    priorities = sa.table('priorities', sa.column('id', sa.Integer), sa.column('final_statistics', sa.JSON))
    for row in bind.execute(sa.select(priorities.c.id, priorities.c.final_statistics)).all():
        stats = row.final_statistics if isinstance(row.final_statistics, dict) else json.loads(row.final_statistics or 'null')
        if stats and ('by_region' in stats or 'by_category' in stats):
            kept = {key: value for key, value in stats.items() if key not in ('by_region', 'by_category')}
            bind.execute(priorities.update().where(priorities.c.id == row.id).values(final_statistics=kept))

    op.create_table('delphi_round_snapshots',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('consensus_item_ids', sa.JSON(), nullable=False),
    sa.Column('feedback', sa.JSON(), nullable=False),
    sa.Column('results', sa.JSON(), nullable=False),
    sa.Column('stability', sa.JSON(), nullable=True),
    sa.Column('participation', sa.JSON(), nullable=False),
    sa.Column('matrix', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['delphi_rounds.id'], name=op.f('fk_delphi_round_snapshots_round_id_delphi_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', name=op.f('pk_delphi_round_snapshots'))
    )

    op.create_table('idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('response_status', sa.Integer(), nullable=True),
    sa.Column('response_body', sa.Text(), nullable=True),
    sa.Column('response_type', sa.String(length=200), nullable=True),
    sa.Column('response_location', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idempotency_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_idempotency_keys_user_id_key'))
    )
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_keys_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_keys_expires_at'))
    op.drop_table('idempotency_keys')
    op.drop_table('delphi_round_snapshots')
    with op.batch_alter_table('delphi_responses', schema=None) as batch_op:
        batch_op.drop_column('category')
        batch_op.drop_column('region_group')
    with op.batch_alter_table('delphi_surveys', schema=None) as batch_op:
        batch_op.drop_column('disclosure_mode')
