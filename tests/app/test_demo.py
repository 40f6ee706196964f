"""The demo competitions: the seed's size and the small one, built by ``flask demo``."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Contestant, Delegation, Event, JudgeAssignment, Role, Trade, User
from competition.services import setup
from tests.app.support import count, fresh_client


@pytest.fixture
def demo(app, runner, tmp_path, monkeypatch):
    """Run ``flask demo`` with its logins file written to a temporary instance folder."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))

    def run(*args: str):
        return runner.invoke(args=["demo", *args])

    return run


def event(code: str) -> Event:
    db.session.expire_all()
    return db.session.scalar(sa.select(Event).where(Event.code == code))


def check_schemes(trades: list[Trade]) -> None:
    for trade in trades:
        assert trade.max_total == 100, trade.code
        assert setup.scheme_problems(trade) == [], trade.code


def test_small_demo(app, demo, tmp_path):
    result = demo("--size", "small")
    assert result.exit_code == 0, result.output
    small = event("DEMO2026")
    trades = small.trades
    assert len(trades) == 9
    assert sum(t.is_demonstration for t in trades) == 1
    assert len(small.delegations) == 10
    assert count(User, User.event_id == small.id, User.role.in_([Role.JUDGE, Role.CHIEF_JUDGE])) == 45
    assert count(Contestant) == 69
    check_schemes(trades)
    for trade in trades:
        assert sum(a.is_chief for a in trade.assignments) == 1, trade.code
    # the printed organizer login works, and is also in the logins file
    organizer, password = re.search(r"(demo2026-organizer)\s+(\S+)", result.output).groups()
    assert f"{organizer}  {password}" in (tmp_path / "demo-logins.txt").read_text(encoding="utf-8")
    client = fresh_client(app)
    assert client.post("/auth/login", data={"username": organizer,
                                            "password": password}).status_code == 302
    assert client.get("/manage/events/DEMO2026/").status_code == 200


def test_seed_demo(demo):
    result = demo("--size", "seed")
    assert result.exit_code == 0, result.output
    seed = event("HN2026")
    trades = seed.trades
    assert len(trades) == 70
    assert sum(t.is_demonstration for t in trades) == 10
    assert sum(t.entry_type == "pair" for t in trades) == 6
    assert all(t.team_size == 2 for t in trades if t.entry_type == "pair")
    assert len(seed.delegations) == 19
    assert len({d.name_zh for d in seed.delegations}) == 19
    judges = count(User, User.event_id == seed.id, User.role.in_([Role.JUDGE, Role.CHIEF_JUDGE]))
    assert judges == 1091
    assert count(JudgeAssignment, JudgeAssignment.is_chief.is_(True)) == 70
    assert count(Contestant) == 2221
    check_schemes(trades)
    names = db.session.scalars(sa.select(User.name).where(User.event_id == seed.id,
                                                          User.role == Role.JUDGE)).all()
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", n) for n in names)


def test_demo_twice_with_the_same_code_fails_cleanly(demo):
    assert demo("--size", "small").exit_code == 0
    before = (count(Event), count(Trade), count(User), count(Delegation))
    result = demo("--size", "small")
    assert result.exit_code != 0
    assert "DEMO2026" in result.output and "Traceback" not in result.output
    assert (count(Event), count(Trade), count(User), count(Delegation)) == before
    # another code is another event
    assert demo("--size", "small", "--code", "CITY2026").exit_code == 0
    assert count(Event) == 2


def test_if_empty_does_nothing_when_an_event_exists(demo, make_event):
    make_event("MINE")
    result = demo("--size", "small", "--if-empty")
    assert result.exit_code == 0
    assert "no demo loaded" in result.output
    assert [e.code for e in db.session.scalars(sa.select(Event))] == ["MINE"]


def test_if_empty_loads_into_an_empty_database(demo):
    assert demo("--size", "small", "--if-empty").exit_code == 0
    assert event("DEMO2026") is not None
