"""Test fixtures: an app on a throwaway database, a client, factories and a login helper.

The database is a temporary SQLite file unless DATABASE_URL points at PostgreSQL (as .ci/run does);
the schema is made once per session and every table is emptied after each test.
"""

from __future__ import annotations

import itertools
from io import BytesIO
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app, g, has_app_context
from flask.testing import FlaskClient

from competition import create_app
from competition.config import TestConfig
from competition.extensions import db as _db
from competition.models import (Aspect, Contestant, Criterion, Delegation, EntryType, Entrant,
                                Event, JudgeAssignment, Role, Trade, User)
from competition.services.accounts import hash_password

PASSWORD = "correct horse battery"
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def pytest_configure(config):
    os.environ.setdefault("TZ", "Asia/Shanghai")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1) \
            if url.startswith("postgresql://") else url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


class CleanClient(FlaskClient):
    """A test client whose every request starts with an empty ``g``, as in a browser.

    The fixtures keep an app context pushed so that tests can use the database directly; Flask
    then lets requests share it, and with it ``g``, where Flask-Login keeps the loaded user and
    Flask-Babel the chosen language. Without this, one client's login would leak into the next.
    """

    def open(self, *args, **kwargs):
        if has_app_context() and current_app._get_current_object() is self.application:
            for key in list(g):
                g.pop(key, None)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()},
                      "SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False})
    app.test_client_class = CleanClient
    app.instance_path = str(tmp_path_factory.mktemp("instance"))  # never the repository's
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def db(request, app):
    """The database, emptied after the test; the test runs inside an app context."""
    if "app" not in request.fixturenames and not _needs_db(request):
        yield None
        return
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        empty_all_tables()


def _needs_db(request) -> bool:
    return "domain" not in Path(str(request.node.fspath)).parts


def empty_all_tables() -> None:
    tables = list(reversed(_db.metadata.sorted_tables))
    with _db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_counter = itertools.count(1)


@pytest.fixture
def make_event():
    def make(code: str | None = None, **fields) -> Event:
        n = next(_counter)
        event = Event(code=code or f"EV{n}", name_zh=fields.pop("name_zh", f"测试大赛{n}"), **fields)
        _db.session.add(event)
        _db.session.commit()
        return event
    return make


@pytest.fixture
def make_delegation():
    def make(event: Event, code: str | None = None, name_zh: str | None = None) -> Delegation:
        n = next(_counter)
        delegation = Delegation(event=event, code=code or f"D{n}", name_zh=name_zh or f"代表团{n}")
        _db.session.add(delegation)
        _db.session.commit()
        return delegation
    return make


@pytest.fixture
def make_trade():
    def make(event: Event, code: str | None = None, aspects=((Decimal(60), "measurement"),
                                                            (Decimal(40), "measurement")),
             **fields) -> Trade:
        n = next(_counter)
        entry_type = fields.pop("entry_type", EntryType.INDIVIDUAL)
        team_size = fields.pop("team_size", {EntryType.INDIVIDUAL: 1, EntryType.PAIR: 2}.get(entry_type, 3))
        trade = Trade(event=event, code=code or f"T{n}", name_zh=fields.pop("name_zh", f"测试赛项{n}"),
                      entry_type=entry_type, team_size=team_size, **fields)
        if aspects:
            criterion = Criterion(code="A", name_zh="实操", position=0)
            for i, (max_mark, kind) in enumerate(aspects):
                criterion.aspects.append(Aspect(code=f"A{i + 1}", description_zh=f"要素{i + 1}",
                                                kind=kind, max_mark=max_mark, position=i,
                                                decimals=0 if kind == "judgement" else 2))
            trade.criteria.append(criterion)
        _db.session.add(trade)
        _db.session.commit()
        return trade
    return make


@pytest.fixture
def make_user():
    def make(role: Role | str = Role.ORGANIZER, event: Event | None = None, username: str | None = None,
             trades=(), chief: bool = False, delegation: Delegation | None = None, **fields) -> User:
        n = next(_counter)
        user = User(username=username or f"user{n}", name=fields.pop("name", f"用户{n}"),
                    role=Role(role), event=event, delegation=delegation,
                    password_hash=hash_password(PASSWORD), **fields)
        for trade in trades:
            user.assignments.append(JudgeAssignment(trade=trade, is_chief=chief))
        _db.session.add(user)
        _db.session.commit()
        return user
    return make


@pytest.fixture
def login(client):
    """Log ``user`` in on the test client (through the real login form)."""
    def log_in(user: User, password: str = PASSWORD):
        response = client.post("/auth/login", data={"username": user.username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client
    return log_in


def form_errors(response) -> list[str]:
    """The error messages shown next to fields and in flashes of an HTML response."""
    html = response.get_data(as_text=True)
    return [re.sub(r"<[^>]+>", "", m).strip()
            for m in re.findall(r'<p class="(?:error|flash flash-error)"[^>]*>(.*?)</p>', html, re.S)]


@pytest.fixture
def make_entrant():
    """An entrant of ``trade`` for ``delegation`` with ``members`` contestants (default: the
    trade's team size), each with a distinct made-up ID number."""
    def make(trade: Trade, delegation: Delegation, members: int | None = None,
             names: tuple[str, ...] = (), **fields) -> Entrant:
        entrant = Entrant(trade=trade, delegation=delegation, **fields)
        count = members or trade.team_size
        if trade.team_size > 1 and "team_name" not in fields:
            entrant.team_name = f"{delegation.name_zh}{next(_counter)}队"
        for i in range(count):
            n = next(_counter)
            entrant.members.append(Contestant(
                event_id=trade.event_id, trade=trade, delegation=delegation,
                name=names[i] if i < len(names) else f"选手{n}", gender="M" if n % 2 else "F",
                id_type="passport", id_number=f"P{n:08d}", competitor_number=f"C{n:05d}"))
        _db.session.add(entrant)
        _db.session.commit()
        return entrant
    return make


@pytest.fixture
def upload(client):
    """POST a file as a form upload; closes the test client's spooled request body, which
    Werkzeug's test client leaves open for bodies over 500 kB (a ResourceWarning otherwise)."""
    def post(url: str, data: bytes, filename: str = "upload.xlsx", field: str = "file", **form):
        response = client.post(url, data={field: (BytesIO(data), filename), **form},
                               content_type="multipart/form-data")
        response.request.environ["wsgi.input"].close()
        return response
    return post


def pytest_addoption(parser):  # registered here so that `pytest --browser` works from the root too
    parser.addoption("--browser", action="store_true", help="run the journeys in tests/browser (Chromium)")
