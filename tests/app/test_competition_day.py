"""The competition-day overview (issue 14): per trade, the share of expected marks in, open
discrepancies, thin panels, who signed off and when, publication; who may see which trades; and
where a login leads judges and organizers. Every figure below is counted by hand from the scene.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from html import unescape

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import AuditAction, AuditEntry, Event, Role, Trade, TradeStatus, User
from competition.services import judging, results
from tests.app.support import PASSWORD, cell, client_for, count_queries, fresh_client


@dataclass
class Day:
    event: Event
    t1: Trade
    t2: Trade
    t3: Trade
    t1_judges: list[User]
    t1_chief: User
    t3_chief: User
    organizer: User
    supervisor: User


def save(judge: User, trade: Trade, *cells) -> None:
    result = judging.save_sheet(judge, trade, list(cells))
    assert result.ok, result


@pytest.fixture
def day(make_event, make_delegation, make_trade, make_user, make_entrant, scored_trade) -> Day:
    """Three trades of one event.

    T01: 3 judges (no delegation) and a chief, 4 entrants, 2 judgement aspects: 24 marks
    expected; judges 1 and 2 give all 8 of theirs, judge 3 two: 18 in (75 %). Judge 2 gives
    entrant 2 a 0 where judge 1 gives 2 on the first aspect: one discrepancy.

    T02: 3 judges, the first of delegation 0; entrants of delegations 0 and 1; a measurement and
    a judgement aspect. Expected: 1 + 1 measurements, 2 + 3 judgement marks = 7. In: both
    measurements (entered once, by judge 2) and judge 2's two judgement marks = 4
    (57 %, rounded down). The entrant of delegation 0 has 2 judges left: one thin panel.

    T03: one measurement aspect, two entrants with marks, signed off by 王总裁 at 10:30 Beijing
    time on 21 November 2026 and published (version 1)."""
    event = make_event()
    delegations = [make_delegation(event) for _ in range(4)]
    t1 = make_trade(event, code="T01", aspects=((Decimal(10), "judgement"), (Decimal(10), "judgement")),
                    status=TradeStatus.OPEN)
    judges = [make_user(Role.JUDGE, event, trades=(t1,)) for _ in range(3)]
    chief = make_user(Role.CHIEF_JUDGE, event, trades=(t1,), chief=True)
    entrants = [make_entrant(t1, d) for d in delegations]
    a1, a2 = [a for c in t1.criteria for a in c.aspects]
    save(judges[0], t1, *[cell(e, a, "2") for e in entrants for a in (a1, a2)])
    save(judges[1], t1, *[cell(e, a, "0" if (e, a) == (entrants[1], a1) else "2")
                          for e in entrants for a in (a1, a2)])
    save(judges[2], t1, cell(entrants[0], a1, "2"), cell(entrants[0], a2, "2"))

    t2 = make_trade(event, code="T02", aspects=((Decimal(10), "measurement"), (Decimal(6), "judgement")),
                    status=TradeStatus.OPEN)
    k = [make_user(Role.JUDGE, event, trades=(t2,), delegation=delegations[0]),
         make_user(Role.JUDGE, event, trades=(t2,)), make_user(Role.JUDGE, event, trades=(t2,))]
    f0, f1 = make_entrant(t2, delegations[0]), make_entrant(t2, delegations[1])
    m, j = [a for c in t2.criteria for a in c.aspects]
    save(k[1], t2, cell(f0, m, "5"), cell(f1, m, "6"), cell(f0, j, "2"), cell(f1, j, "3"))

    t3 = scored_trade([80, 70], event=event, signed_off=False, code="T03").trade
    t3_chief = make_user(Role.CHIEF_JUDGE, event, trades=(t3,), chief=True, name="王总裁",
                         username="wangzc")
    judging.sign_off(t3, t3_chief, "")
    db.session.execute(sa.update(AuditEntry).where(
        AuditEntry.trade_id == t3.id, AuditEntry.action == AuditAction.LOCK)
        .values(at=datetime(2026, 11, 21, 2, 30, tzinfo=UTC)))
    db.session.commit()
    results.publish(t3, None)
    return Day(event, t1, t2, t3, judges, chief, t3_chief, make_user(Role.ORGANIZER, event),
               make_user(Role.SUPERVISOR, event))


def overview_url(event: Event) -> str:
    return f"/judge/events/{event.code}/"


def cells(response, trade_code: str) -> dict[str, str]:
    """The overview's cells of one trade (by their data-cell name), as text."""
    html = response.get_data(as_text=True)
    row = re.search(rf'<tr data-trade="{trade_code}">(.*?)</tr>', html, re.S)
    assert row, f"{trade_code} not on the page"
    return {name: re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", text))).strip()
            for name, text in re.findall(r'data-cell="([\w-]+)">(.*?)</td>', row.group(1), re.S)}


def trades_shown(response) -> list[str]:
    return re.findall(r'<tr data-trade="(\w+)">', response.get_data(as_text=True))


def test_the_overview_counts_marks_discrepancies_thin_panels_and_sign_off(app, day):
    response = client_for(app, day.organizer).get(overview_url(day.event))
    assert response.status_code == 200
    assert trades_shown(response) == ["T01", "T02", "T03"]
    assert cells(response, "T01") == {"marks": "75 % 18 / 24", "discrepancies": "1", "thin": "0",
                                      "signed-off": "—", "published": "Not published"}
    assert cells(response, "T02") == {"marks": "57 % 4 / 7", "discrepancies": "0", "thin": "1",
                                      "signed-off": "—", "published": "Not published"}
    assert cells(response, "T03") == {"marks": "100 % 2 / 2", "discrepancies": "0", "thin": "0",
                                      "signed-off": "王总裁 (wangzc) 2026-11-21 10:30:00",
                                      "published": "Version 1"}


def test_the_overview_reloads_itself_and_is_not_stored(app, day):
    response = client_for(app, day.supervisor).get(overview_url(day.event))
    assert response.status_code == 200
    assert re.search(r'<meta http-equiv="refresh" content="\d+">', response.get_data(as_text=True))
    assert response.headers["Cache-Control"] == "no-store"


def test_an_unlocked_trade_no_longer_shows_its_sign_off(app, day):
    judging.unlock(day.t3, day.organizer, "a typing error")
    response = client_for(app, day.organizer).get(overview_url(day.event))
    assert cells(response, "T03")["signed-off"] == "—"
    assert cells(response, "T03")["published"] == "Version 1"


def test_a_chief_judge_sees_only_their_own_trades(app, day):
    response = client_for(app, day.t1_chief).get(overview_url(day.event))
    assert response.status_code == 200
    assert trades_shown(response) == ["T01"]
    assert cells(response, "T01")["marks"] == "75 % 18 / 24"
    response = client_for(app, day.t3_chief).get(overview_url(day.event))
    assert trades_shown(response) == ["T03"]
    assert "T02" not in response.get_data(as_text=True)


def test_judges_and_other_events_are_refused_and_anonymous_users_log_in(
        app, day, make_event, make_user):
    assert client_for(app, day.t1_judges[0]).get(overview_url(day.event)).status_code == 403
    other = make_event()
    for user in (make_user(Role.ORGANIZER, other),
                 make_user(Role.CHIEF_JUDGE, other, trades=(), chief=True)):
        assert client_for(app, user).get(overview_url(day.event)).status_code == 403
    response = fresh_client(app).get(overview_url(day.event))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_the_overview_reads_every_trade_in_a_fixed_number_of_queries(
        day, make_trade, make_user, make_entrant, make_delegation):
    with count_queries() as few:
        judging.competition_day(day.event, day.organizer)
    delegation = make_delegation(day.event)
    for n in range(4):
        trade = make_trade(day.event, code=f"T1{n}", status=TradeStatus.OPEN)
        for _ in range(3):
            make_user(Role.JUDGE, day.event, trades=(trade,), delegation=delegation)
        for _ in range(5):
            make_entrant(trade, delegation)
    db.session.expire_all()
    with count_queries() as many:
        rows = judging.competition_day(day.event, day.organizer)
    assert len(rows) == 7
    assert len(many) == len(few) <= 11  # the event and user reloaded, then 9 of its own
    # judges of the entrants' own delegation: every entrant of those trades is thin
    assert [r.thin for r in rows[3:]] == [5, 5, 5, 5]


def test_the_event_dashboard_links_the_overview(app, day):
    html = client_for(app, day.organizer).get(f"/manage/events/{day.event.code}/") \
        .get_data(as_text=True)
    assert f'href="{overview_url(day.event)}"' in html


def log_in(client, user: User):
    return client.post("/auth/login", data={"username": user.username, "password": PASSWORD})


@pytest.mark.parametrize("role", [Role.JUDGE, Role.CHIEF_JUDGE])
def test_judges_land_on_their_trades(app, make_event, make_user, role):
    user = make_user(role, make_event())
    response = log_in(fresh_client(app), user)
    assert response.status_code == 302
    assert response.headers["Location"] == "/judge/"


def test_organizers_keep_their_landing_and_a_safe_next_wins(app, make_event, make_user):
    event = make_event()
    response = log_in(fresh_client(app), make_user(Role.ORGANIZER, event))
    assert response.headers["Location"] == "/"
    judge = make_user(Role.JUDGE, event)
    response = fresh_client(app).post("/auth/login?next=/manage/events",
                                      data={"username": judge.username, "password": PASSWORD})
    assert response.headers["Location"] == "/manage/events"
    response = fresh_client(app).post("/auth/login?next=//evil.com",
                                      data={"username": judge.username, "password": PASSWORD})
    assert response.headers["Location"] == "/judge/"


def test_a_judge_who_must_change_the_password_lands_on_their_trades_after(
        app, make_event, make_user):
    judge = make_user(Role.JUDGE, make_event(), must_change_password=True)
    client = fresh_client(app)
    response = log_in(client, judge)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/password")
    assert client.get("/judge/").headers["Location"].startswith("/auth/password")
    response = client.post(response.headers["Location"],
                           data={"current": PASSWORD, "new": "a fresh Passw0rd",
                                 "repeat": "a fresh Passw0rd"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/judge/"
    assert client.get("/judge/").status_code == 200
