"""Personal data stays where it belongs: no ID number, phone or unmasked username in any log
line; ID numbers searched by POST, and by organizers only; pages with personal data never
cached; backups readable by their owner only and without password hashes unless asked; no
served app with a short signing key; usernames folded by the migration."""

from __future__ import annotations

import gzip
import logging
import os
import re
import stat
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from competition import create_app
from competition.extensions import db
from competition.models import Event, Role, User
from competition.services import backup
from tests.app.support import (
    PASSWORD,
    app_settings,
    client_for,
    empty_all_tables,
    fresh_client,
    resident_id,
)

pytestmark = pytest.mark.language("en")

PHONE = "13937126688"


@pytest.fixture
def world(make_event, make_delegation, make_trade, make_user):
    event = make_event("HN2026")
    delegation = make_delegation(event, code="ZZ")
    trade = make_trade(event, code="W01")
    return {"event": event, "delegation": delegation, "trade": trade,
            "organizer": make_user(Role.ORGANIZER, event, username="organizer-hn"),
            "supervisor": make_user(Role.SUPERVISOR, event, username="supervisor-hn"),
            "judge": make_user(Role.JUDGE, event, username="zhangwei-judge")}


def registration(world, number: str) -> dict:
    return {"name": "张伟", "id_type": "resident", "id_number": number, "gender": "",
            "birth_date": "", "employer": "", "phone": PHONE, "remarks": "",
            "delegation_id": world["delegation"].id, "trade_id": world["trade"].id,
            "team_name": ""}


@contextmanager
def failing_contestant_inserts(app):
    """Every INSERT of a contestant fails in the database driver (a disk error, say), and the
    app logs the exception as in production instead of raising it into the test."""
    error = db.engine.dialect.loaded_dbapi.OperationalError

    def fail(cursor, statement, parameters, context):
        if statement.lstrip().upper().startswith("INSERT INTO CONTESTANT"):
            raise error("simulated disk failure")
        return False

    before = app.config["PROPAGATE_EXCEPTIONS"]
    app.config["PROPAGATE_EXCEPTIONS"] = False
    sa.event.listen(db.engine, "do_execute", fail)
    try:
        yield
    finally:
        sa.event.remove(db.engine, "do_execute", fail)
        app.config["PROPAGATE_EXCEPTIONS"] = before


def test_no_log_line_holds_an_id_number_a_phone_or_a_username(app, world, caplog, make_entrant):
    organizer = client_for(app, world["organizer"])
    number = resident_id()
    known = make_entrant(world["trade"], world["delegation"]).members[0]
    known.id_number, known.phone = resident_id(sequence=3), PHONE
    db.session.commit()
    requested = []
    with caplog.at_level(logging.DEBUG):
        # a failing insert: the error is logged with its statement, not its values
        with failing_contestant_inserts(app):
            failed = organizer.post("/manage/events/HN2026/contestants/new",
                                    data=registration(world, number))
        assert failed.status_code == 500
        requested.append(failed.request)
        # a search by full ID number
        found = organizer.post("/manage/events/HN2026/contestants/find",
                               data={"id_number": known.id_number})
        assert found.status_code == 200 and known.competitor_number in found.get_data(as_text=True)
        requested.append(found.request)
        # failed logins: a known account, and an ID number typed as a username
        client = fresh_client(app)
        for username in ("zhangwei-judge", number):
            response = client.post("/auth/login", data={"username": username, "password": "x"})
            assert response.status_code == 401
            requested.append(response.request)
    text = caplog.text
    assert "INSERT INTO contestant" in text and "hidden" in text, text[-3000:]
    for secret in (number, known.id_number, PHONE, "zhangwei-judge"):
        assert secret not in text, secret
        # what an access log records of each request: its method, path and query string
        assert not any(secret in r.url for r in requested), secret
    assert "z***e" in text


def test_pages_with_personal_data_are_never_stored(app, world, make_entrant):
    entrant = make_entrant(world["trade"], world["delegation"])
    organizer = client_for(app, world["organizer"])
    base = "/manage/events/HN2026"
    pages = {
        "contestant edit": organizer.get(f"{base}/contestants/{entrant.members[0].id}"),
        "new contestant": organizer.get(f"{base}/contestants/new"),
        "contestants": organizer.get(f"{base}/contestants"),
        "entrants": organizer.get(f"{base}/trades/W01/entrants"),
        "registration list": organizer.get(f"{base}/lists/registrations.xlsx"),
        "find by ID": organizer.post(f"{base}/contestants/find",
                                     data={"id_number": entrant.members[0].id_number}),
        "new judge's password": organizer.post(f"{base}/judges/new", data={
            "name": "李娜", "username": "lina", "role": "judge", "delegation_id": "0"}),
        "reset password": organizer.post(f"{base}/judges/{world['judge'].id}/password"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert response.headers.get("Cache-Control") == "no-store", name
    assert organizer.get(f"{base}/judges").headers.get("Cache-Control") != "no-store"


# --- backups --------------------------------------------------------------------------------------

def rows_of(path) -> str:
    return gzip.decompress(path.read_bytes()).decode()


def test_a_backup_is_readable_by_its_owner_only_and_holds_no_password_hashes(
        app, runner, world, tmp_path):
    path = tmp_path / "HN2026.backup.gz"
    path.write_bytes(b"")
    path.chmod(0o644)  # an older, world-readable file of the same name
    result = runner.invoke(args=["backup", "--event", "HN2026", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    content = rows_of(path)
    hashes = [u.password_hash for u in db.session.scalars(sa.select(User))]
    assert not any(h in content for h in hashes)
    assert "pbkdf2" not in content and "scrypt" not in content

    db.session.rollback()
    empty_all_tables()
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    assert "can log in until it is given a new one" in result.output
    client = fresh_client(app)
    assert client.post("/auth/login", data={"username": "organizer-hn",
                                            "password": PASSWORD}).status_code == 401
    reset = runner.invoke(args=["reset-password", "organizer-hn"])
    password = re.search(r"\(shown once\): (\S+)", reset.output).group(1)
    answer = client.post("/auth/login", data={"username": "organizer-hn", "password": password})
    assert answer.headers["Location"].startswith("/auth/password")


def test_a_backup_with_secrets_keeps_the_passwords(app, runner, world, tmp_path):
    path = tmp_path / "HN2026-local.backup.gz"
    result = runner.invoke(args=["backup", "--event", "HN2026", "-o", str(path),
                                 "--with-secrets"])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert world["organizer"].password_hash in rows_of(path)
    db.session.rollback()
    empty_all_tables()
    assert runner.invoke(args=["restore", str(path)]).exit_code == 0
    assert fresh_client(app).post("/auth/login", data={
        "username": "organizer-hn", "password": PASSWORD}).status_code == 302


def test_the_service_leaves_secrets_out_unless_asked(world, tmp_path):
    import io

    out = io.BytesIO()
    backup.dump(db.session.scalar(sa.select(Event)), out)
    assert world["organizer"].password_hash not in gzip.decompress(out.getvalue()).decode()
    assert not backup.has_secrets(io.BytesIO(out.getvalue()))


# --- the signing key --------------------------------------------------------------------------------

@pytest.mark.parametrize("key, settings, refused", [
    ("short-key", {}, True),
    ("x" * 31, {}, True),
    ("x" * 32, {}, False),
    ("short-key", {"TESTING": True}, False),
    ("short-key", {"DEBUG": True}, False),
], ids=["short", "31-bytes", "32-bytes", "testing", "debugging"])
def test_a_served_app_refuses_a_short_secret_key(key, settings, refused):
    config = {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": key, **settings}
    if refused:
        with pytest.raises(RuntimeError, match="at least 32"):
            create_app(config)
    else:
        app = create_app(config)
        with app.app_context():
            db.engine.dispose()


# --- the migration folds usernames ----------------------------------------------------------------

@pytest.fixture
def fresh_url(database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'folded.sqlite'}"
        return
    name = f"fold_{uuid.uuid4().hex[:12]}"
    server = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture
def old_schema(fresh_url):
    """A database at the schema before this change (13b), and a function to upgrade it."""
    app = create_app(app_settings(fresh_url))
    loggers = {name: logger.disabled for name, logger in logging.root.manager.loggerDict.items()
               if isinstance(logger, logging.Logger)}
    root_level = logging.root.level

    def upgrade(revision: str):
        with app.app_context():
            return app.test_cli_runner().invoke(args=["db", "upgrade", revision])

    assert upgrade("13b_results").exit_code == 0
    yield app, upgrade
    for name, disabled in loggers.items():
        logging.getLogger(name).disabled = disabled
    logging.root.setLevel(root_level)
    with app.app_context():
        db.engine.dispose()


def add_administrators(app, *names: str) -> None:
    with app.app_context(), db.engine.begin() as connection:
        for name in names:
            connection.execute(sa.text(
                "INSERT INTO \"user\" (username, name, password_hash, role, is_enabled, "
                "session_version, created_at) VALUES (:u, :u, 'x', 'administrator', true, 1, "
                "CURRENT_TIMESTAMP)"), {"u": name})


def usernames(app) -> list[str]:
    with app.app_context(), db.engine.connect() as connection:
        return sorted(connection.scalars(sa.text('SELECT username FROM "user"')))


def test_the_migration_folds_usernames(old_schema):
    app, upgrade = old_schema
    add_administrators(app, "ÇAĞLA", "ZhangWei", "ＬＩＭＩＮＧ", "plain")
    result = upgrade("13c_accounts")
    assert result.exit_code == 0, (result.output, result.exception)
    assert usernames(app) == sorted(["çağla", "zhangwei", "liming", "plain"])


def test_the_migration_refuses_usernames_that_would_collide(old_schema):
    app, upgrade = old_schema
    add_administrators(app, "ZhangWei", "zhangwei", "other")
    result = upgrade("13c_accounts")
    assert result.exit_code != 0
    assert "'ZhangWei' and 'zhangwei' would become one username" in result.output, result.output
    assert usernames(app) == ["ZhangWei", "other", "zhangwei"]
    with app.app_context():
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("user")}
    assert "must_change_password" not in columns


def test_stored_usernames_are_folded_on_every_write(world):
    world["judge"].username = "ZhangWei-Judge"
    db.session.commit()
    assert db.session.scalar(sa.select(User.username).where(User.id == world["judge"].id)) == \
        "zhangwei-judge"
