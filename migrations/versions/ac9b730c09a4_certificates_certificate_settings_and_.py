"""certificates, certificate settings and export jobs

Revision ID: ac9b730c09a4
Revises: 25c65d996b8f
Create Date: 2026-11-25 17:11:56.198167

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ac9b730c09a4'
down_revision = '25c65d996b8f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('layout', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('participation', sa.Boolean(), nullable=False),
    sa.Column('organizer_text', sa.String(length=200), nullable=False),
    sa.Column('date_text', sa.String(length=100), nullable=False),
    sa.Column('background', sa.LargeBinary(), nullable=True),
    sa.Column('background_type', sa.String(length=20), nullable=False),
    sa.Column('seal', sa.LargeBinary(), nullable=True),
    sa.Column('seal_type', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("language IN ('zh', 'zh_en')", name=op.f('ck_certificate_settings_language_known')),
    sa.CheckConstraint("layout IN ('classic', 'modern')", name=op.f('ck_certificate_settings_layout_known')),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_certificate_settings_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_settings')),
    sa.UniqueConstraint('event_id', name=op.f('uq_certificate_settings_event_id'))
    )
    op.create_table('export_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='jobstatus', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('download_name', sa.String(length=200), nullable=False),
    sa.Column('error', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('done >= 0 AND total >= 0', name=op.f('ck_export_job_counts_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_export_job_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_export_job_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_job'))
    )
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_job_event_id'), ['event_id'], unique=False)

    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('trade_id', sa.Integer(), nullable=False),
    sa.Column('trade_sequence', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('contestant_id', sa.Integer(), nullable=True),
    sa.Column('delegation_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('award', 'title', 'participation', name='certificatekind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('award_zh', sa.String(length=200), nullable=False),
    sa.Column('award_en', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('competitor_number', sa.String(length=20), nullable=False),
    sa.Column('delegation_name_zh', sa.String(length=100), nullable=False),
    sa.Column('delegation_name_en', sa.String(length=100), nullable=False),
    sa.Column('trade_name_zh', sa.String(length=100), nullable=False),
    sa.Column('trade_name_en', sa.String(length=100), nullable=False),
    sa.Column('result_version_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sa.String(length=500), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("revoked_at IS NULL OR revoked_reason <> ''", name=op.f('ck_certificate_revoked_has_reason')),
    sa.CheckConstraint('serial >= 1 AND trade_sequence >= 1', name=op.f('ck_certificate_numbers_positive')),
    sa.ForeignKeyConstraint(['contestant_id'], ['contestant.id'], name=op.f('fk_certificate_contestant_id_contestant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delegation_id'], ['delegation.id'], name=op.f('fk_certificate_delegation_id_delegation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_certificate_event_id_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replaces_id'], ['certificate.id'], name=op.f('fk_certificate_replaces_id_certificate'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['result_version_id'], ['result_version.id'], name=op.f('fk_certificate_result_version_id_result_version'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['trade_id'], ['trade.id'], name=op.f('fk_certificate_trade_id_trade'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('number', name=op.f('uq_certificate_number')),
    sa.UniqueConstraint('replaces_id', name=op.f('uq_certificate_replaces_id')),
    sa.UniqueConstraint('trade_id', 'serial', name=op.f('uq_certificate_trade_id_serial'))
    )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_contestant_id'), ['contestant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_delegation_id'), ['delegation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_event_id'), ['event_id'], unique=False)
        batch_op.create_index('ix_certificate_event_name', ['event_id', 'name'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_result_version_id'), ['result_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificate_trade_id'), ['trade_id'], unique=False)


def downgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_certificate_trade_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_result_version_id'))
        batch_op.drop_index('ix_certificate_event_name')
        batch_op.drop_index(batch_op.f('ix_certificate_event_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_delegation_id'))
        batch_op.drop_index(batch_op.f('ix_certificate_contestant_id'))

    op.drop_table('certificate')
    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_job_event_id'))

    op.drop_table('export_job')
    op.drop_table('certificate_settings')
