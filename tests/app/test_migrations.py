"""The migration chain builds the schema the models describe, and unwinds it again."""

from __future__ import annotations

import logging
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from competition import create_app
from competition.extensions import db
from tests.app.support import app_settings

# migrations/env.py is Flask-Migrate's stock template, which tries Flask-SQLAlchemy's deprecated
# get_engine() first; the warning says nothing about the schema.


@pytest.fixture
def fresh_url(database_url, tmp_path):
    """An empty database of the same kind as the test database (SQLite file or PostgreSQL)."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    server = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture
def migrated_app(fresh_url):
    app = create_app(app_settings(fresh_url))
    # Alembic's env.py runs logging.fileConfig, which disables every logger it does not name;
    # put them back so that later tests still see the app's log records.
    loggers = {name: logger.disabled for name, logger in logging.root.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    root_level = logging.root.level
    yield app
    for name, disabled in loggers.items():
        logging.getLogger(name).disabled = disabled
    logging.root.setLevel(root_level)
    with app.app_context():
        db.engine.dispose()


def flask_db(app, *args: str) -> None:
    # The CLI reuses whatever app context is current: push this app's, not the test database's.
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, (result.output, result.exception)


def differences(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), db.metadata)


def table_names(app) -> set[str]:
    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_builds_the_models_schema(migrated_app):
    flask_db(migrated_app, "upgrade")
    assert table_names(migrated_app) == set(db.metadata.tables)
    assert differences(migrated_app) == []


def test_upgrade_keeps_the_database_constraints(migrated_app):
    """Autogenerate does not compare CHECK constraints or partial indexes: check them by name."""
    flask_db(migrated_app, "upgrade")
    with migrated_app.app_context():
        inspector = sa.inspect(db.engine)
        checks = {c["name"] for c in inspector.get_check_constraints("trade")}
        assert "ck_trade_team_size_matches_entry_type" in checks
        assert "ck_user_event_scoped" in {c["name"] for c in inspector.get_check_constraints("user")}
        assert "ck_aspect_max_mark_positive" in {
            c["name"] for c in inspector.get_check_constraints("aspect")}
        indexes = {i["name"]: i for i in inspector.get_indexes("award_rule")}
        assert indexes["uq_award_rule_event_default"]["unique"]


def test_downgrade_to_base_removes_every_table(migrated_app):
    flask_db(migrated_app, "upgrade")
    flask_db(migrated_app, "downgrade", "base")
    assert table_names(migrated_app) == set()
    flask_db(migrated_app, "upgrade")
    assert differences(migrated_app) == []
