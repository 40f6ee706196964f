"""background jobs with leases and kinds

The certificate batches' ``export_job`` becomes ``job``: any background job (a batch of
certificates, a large import), with its kind, its input (``payload``), what it found
(``result``), what it hands over once (``secret``), and the lease (``attempts``,
``started_at``, ``heartbeat_at``). Every row is copied over; a batch that was queued or running
when the database was upgraded gets a lapsed lease, so that it is failed (with a retry) instead
of running forever. Downgrading copies the certificate batches back; import jobs have no place
in the old table and are dropped.

Revision ID: 13d_jobs
Revises: 13c_accounts
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '13d_jobs'
down_revision = '13c_accounts'
branch_labels = None
depends_on = None

STATUS = sa.Enum('queued', 'running', 'done', 'failed', name='jobstatus', native_enum=False,
                 create_constraint=True, length=20)
COPIED = ('id', 'event_id', 'created_by_id', 'params', 'status', 'done', 'total', 'file_name',
          'download_name', 'error', 'created_at', 'finished_at')


def upgrade():
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('certificates', 'import', name='jobkind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', STATUS, nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('download_name', sa.String(length=200), nullable=False),
    sa.Column('error', sa.String(length=1000), nullable=False),
    sa.Column('payload', sa.LargeBinary(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('secret', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('done >= 0 AND total >= 0 AND attempts >= 0', name=op.f('ck_job_counts_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_job_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_job_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_event_id'), ['event_id'], unique=False)

    columns = ', '.join(COPIED)
    op.execute(
        f"INSERT INTO job ({columns}, kind, result, attempts, heartbeat_at) "
        f"SELECT {columns}, 'certificates', '{{}}', 0, "
        "CASE WHEN status IN ('queued', 'running') THEN created_at END FROM export_job")
    _restart_ids('job')

    with op.batch_alter_table('export_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_job_event_id'))
    op.drop_table('export_job')


def downgrade():
    op.create_table('export_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('status', STATUS, nullable=False),
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

    columns = ', '.join(COPIED)
    op.execute(f"INSERT INTO export_job ({columns}) SELECT {columns} FROM job "
               "WHERE kind = 'certificates'")
    _restart_ids('export_job')

    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_event_id'))
    op.drop_table('job')


def _restart_ids(table):
    """PostgreSQL: the copied ids were given explicitly, so the id sequence starts after them."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                   f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)")
