"""Issue 13's results migration keeps existing data: versions published before it get their
frozen facts from the trade and the event's award rule as they are, and every event a stamp."""

from __future__ import annotations

import logging
import uuid

import pytest
import sqlalchemy as sa

from competition import create_app
from competition.extensions import db
from tests.app.support import app_settings


@pytest.fixture
def database(database_url, tmp_path):
    """An empty database of the test database's kind, and an app on it."""
    if database_url.startswith("postgresql"):
        name = f"migrate13_{uuid.uuid4().hex[:10]}"
        server = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = sa.engine.make_url(database_url).set(database=name).render_as_string(
            hide_password=False)
    else:
        server, url = None, f"sqlite:///{tmp_path / 'migrate13.sqlite'}"
    loggers = {n: lg.disabled for n, lg in logging.root.manager.loggerDict.items()
               if isinstance(lg, logging.Logger)}
    level = logging.root.level
    app = create_app(app_settings(url))
    yield app
    for n, disabled in loggers.items():  # Alembic's fileConfig disables the app's loggers
        logging.getLogger(n).disabled = disabled
    logging.root.setLevel(level)
    with app.app_context():
        db.engine.dispose()
    if server is not None:
        with server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def upgrade(app, revision: str) -> None:
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["db", "upgrade", revision])
    assert result.exit_code == 0, (result.output, result.exception)


def test_published_versions_get_their_facts_from_the_trade_as_it_is(database):
    upgrade(database, "13a0_counters")
    statements = [
        "INSERT INTO event (id, code, name_zh, name_en, organizer_name, venue, scaling, "
        "medal_order, results_embargoed, criterion_marks_public, results_version, created_at) "
        "VALUES (1, 'OLD', '旧赛事', '', '', '', 'raw', 'gold', false, false, 3, "
        "'2026-01-01 00:00:00')",
        "INSERT INTO award_rule (id, event_id, trade_id, method, labels, quota_first, "
        "quota_second, quota_third, ratio_first, ratio_second, ratio_third, ratio_rounding, "
        "tie_window, excellence, titles) VALUES (1, 1, NULL, 'places', 'prizes', 1, 1, 1, 0.1, "
        "0.2, 0.3, 'half_up', 2, 'none', '[]')",
        "INSERT INTO trade (id, event_id, code, name_zh, name_en, category, entry_type, "
        "team_size, is_demonstration, status, uses_anonymous_codes, codes_revealed, "
        "judgement_threshold, tie_breaks) VALUES (1, 1, 'T1', '焊接', 'Welding', '', "
        "'individual', 1, true, 'signed_off', false, false, 1, '[]')",
        "INSERT INTO result_version (id, event_id, trade_id, number, is_amendment, reason, "
        "published_at, scaling, labels, criteria) VALUES (1, 1, 1, 1, false, '', "
        "'2026-01-02 00:00:00', 'raw', 'prizes', '[]')",
    ]
    with database.app_context(), db.engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    upgrade(database, "13b_results")
    with database.app_context(), db.engine.connect() as connection:
        version = connection.execute(sa.text(
            "SELECT trade_name_zh, trade_name_en, is_demonstration, medal_labels "
            "FROM result_version")).one()
        event = connection.execute(sa.text("SELECT results_version, results_stamp FROM event")
                                   ).one()
    assert tuple(version) == ("焊接", "Welding", True, "prizes")
    assert event[0] == 3 and len(event[1]) == 32
