"""Migration 13d turns the certificate batches' table into the table of every background job,
keeping its rows: a batch caught queued or running by the upgrade gets a lapsed lease, so that it
is failed with a retry instead of running forever; a downgrade gives the batches back."""

from __future__ import annotations

import logging
import uuid

import pytest
import sqlalchemy as sa

from competition import create_app
from competition.extensions import db
from competition.models.jobs import Job, JobKind, JobStatus
from competition.services import jobs
from tests.app.support import app_settings


@pytest.fixture
def migrated(database_url, tmp_path):
    """An app on an empty database of the test database's kind, to run the migrations on."""
    if database_url.startswith("postgresql"):
        name = f"jobs_{uuid.uuid4().hex[:12]}"
        server = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = sa.engine.make_url(database_url).set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / 'jobs.sqlite'}"
    loggers = {name: logger.disabled for name, logger in logging.root.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    root_level = logging.root.level
    app = create_app(app_settings(url))
    yield app
    for name, disabled in loggers.items():
        logging.getLogger(name).disabled = disabled
    logging.root.setLevel(root_level)
    with app.app_context():
        db.engine.dispose()
    if database_url.startswith("postgresql"):
        with server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def flask_db(app, *args: str) -> None:
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, (result.output, result.exception)


def test_upgrade_keeps_every_batch_and_fails_the_ones_caught_running(migrated):
    flask_db(migrated, "upgrade", "13c_accounts")
    # An event with whatever columns the revisions before 13d gave it.
    with migrated.app_context():
        with db.engine.begin() as connection:
            event_columns = {c["name"]: c for c in sa.inspect(connection).get_columns("event")}
            values = {"id": 1, "code": "HN", "name_zh": "大赛"}
            for name, column in event_columns.items():
                if name not in values and not column["nullable"] and column.get("default") is None:
                    values[name] = _blank(column["type"])
            connection.execute(sa.text(f"INSERT INTO event ({', '.join(values)}) VALUES "
                                       f"({', '.join(':' + k for k in values)})"), values)
            for job_id, status in ((1, "done"), (2, "running"), (3, "queued"), (4, "failed")):
                connection.execute(sa.text(
                    "INSERT INTO export_job (id, event_id, params, status, done, total, file_name, "
                    "download_name, error, created_at) VALUES (:id, 1, :params, :status, 0, 42, "
                    "'', 'HN-certificates.pdf', '', :created)"),
                    {"id": job_id, "params": '{"format": "pdf"}', "status": status,
                     "created": "2026-11-23 10:00:00+00:00"})
    flask_db(migrated, "upgrade", "13d_jobs")
    with migrated.app_context():
        found = {job.id: job for job in db.session.scalars(sa.select(Job))}
        assert sorted(found) == [1, 2, 3, 4]
        assert all(job.kind == JobKind.CERTIFICATES and job.total == 42
                   and job.params == {"format": "pdf"} for job in found.values())
        assert found[1].heartbeat_at is None and found[2].heartbeat_at is not None
        assert jobs.expire_lapsed() == 2  # "running 0/42" no more
        db.session.expire_all()
        assert [found[i].status for i in (1, 2, 3, 4)] == [JobStatus.DONE, JobStatus.FAILED,
                                                          JobStatus.FAILED, JobStatus.FAILED]
        db.session.add(Job(event_id=1, kind=JobKind.IMPORT, params={"kind": "judges"}))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.max(Job.id))) == 5
        db.session.remove()
    flask_db(migrated, "downgrade", "13c_accounts")
    with migrated.app_context(), db.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT id, status FROM export_job ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, "done"), (2, "failed"), (3, "failed"), (4, "failed")]


def _blank(kind):
    if isinstance(kind, sa.JSON):
        return "[]"  # PostgreSQL refuses an empty string as JSON
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer | sa.Numeric):
        return 0
    if isinstance(kind, sa.Date):
        return "2026-11-20"
    if isinstance(kind, sa.DateTime):
        return "2026-11-20 00:00:00"
    return ""
