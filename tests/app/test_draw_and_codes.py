"""The draw of workstation numbers and the anonymous codes: auditable from the recorded seed,
replaced by a redraw, frozen once scoring opens, and never shown beyond the organizers before
the codes are revealed after sign-off."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from competition.domain import draw as lots
from competition.extensions import db
from competition.models import Draw, Entrant, EntrantStatus, EntryType, Role, TradeStatus
from competition.services import registration
from tests.app.support import client_for, open_workbook, page_text

BASE = "/manage/events/HN2026"


@pytest.fixture
def trade(make_event, make_delegation, make_trade, make_entrant):
    """A blind-judged trade with 7 entrants of two delegations, one of them withdrawn."""
    event = make_event("HN2026")
    delegations = [make_delegation(event, code="ZZ"), make_delegation(event, code="KF")]
    trade = make_trade(event, code="W01", uses_anonymous_codes=True)
    for i in range(7):
        make_entrant(trade, delegations[i % 2])
    withdrawn = db.session.scalars(sa.select(Entrant).order_by(Entrant.id)).all()[3]
    withdrawn.status = EntrantStatus.WITHDRAWN
    withdrawn.status_reason = "伤病"
    db.session.commit()
    return trade


@pytest.fixture
def users(trade, make_user):
    event = trade.event
    return {"organizer": make_user(Role.ORGANIZER, event),
            "supervisor": make_user(Role.SUPERVISOR, event),
            "judge": make_user(Role.JUDGE, event, trades=[trade]),
            "chief_judge": make_user(Role.CHIEF_JUDGE, event, trades=[trade], chief=True)}


@pytest.fixture
def organizer_account(users):
    return users["organizer"]


def entrants() -> list[Entrant]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Entrant).order_by(Entrant.id)))


def records(kind: str | None = None) -> list[Draw]:
    db.session.expire_all()
    query = sa.select(Draw).order_by(Draw.id)
    if kind:
        query = query.where(Draw.kind == kind)
    return list(db.session.scalars(query))


def post_draw(client, kind: str = "numbers"):
    return client.post(f"{BASE}/trades/W01/draw/{kind}", follow_redirects=True)


# --- numbers ---------------------------------------------------------------------------------------

def test_the_draw_numbers_the_registered_entrants_1_to_n(organizer, trade):
    response = post_draw(organizer)
    assert response.status_code == 200 and "Drawn for 6 entrants" in page_text(response)
    numbers = {e.id: e.draw_number for e in entrants() if e.status == EntrantStatus.REGISTERED}
    assert sorted(numbers.values()) == [1, 2, 3, 4, 5, 6]
    assert [e.draw_number for e in entrants() if e.status == EntrantStatus.WITHDRAWN] == [None]
    [record] = records()
    assert record.kind == "numbers" and sorted(record.entrant_ids) == sorted(numbers)
    assert record.seed in page_text(response)


def test_the_recorded_seed_reproduces_the_draw(organizer, trade):
    post_draw(organizer)
    [record] = records()
    again = lots.draw_numbers(record.entrant_ids, record.seed)
    assert again == {e.id: e.draw_number for e in entrants() if e.draw_number}
    assert registration.verify(record)
    assert "Reproduced from the seed" in page_text(organizer.get(f"{BASE}/trades/W01/entrants"))


def test_a_tampered_result_fails_the_audit(organizer, trade):
    post_draw(organizer)
    [record] = records()
    first, second, *_ = sorted(record.result)
    swapped = dict(record.result)
    swapped[first], swapped[second] = record.result[second], record.result[first]
    record.result = swapped
    db.session.commit()
    assert not registration.verify(records()[0])
    assert "Does not match the seed" in page_text(organizer.get(f"{BASE}/trades/W01/entrants"))


def test_a_redraw_replaces_the_numbers_and_keeps_both_records(organizer, trade):
    post_draw(organizer)
    post_draw(organizer)
    first, second = records()
    assert first.seed != second.seed
    assert all(registration.verify(r) for r in (first, second))
    current = {str(e.id): e.draw_number for e in entrants() if e.draw_number}
    assert current == second.result


def test_the_draw_is_refused_once_scoring_opens(organizer, trade):
    post_draw(organizer)
    before = {e.id: e.draw_number for e in entrants()}
    trade.status = TradeStatus.OPEN
    db.session.commit()
    response = post_draw(organizer)
    assert "Scoring has opened" in page_text(response)
    assert {e.id: e.draw_number for e in entrants()} == before
    assert len(records()) == 1


def test_a_draw_with_nobody_registered_is_refused(organizer, trade):
    for entrant in entrants():
        entrant.status = EntrantStatus.WITHDRAWN
    db.session.commit()
    assert "Nobody is registered" in page_text(post_draw(organizer))
    assert records() == []


def test_an_unknown_kind_of_draw_is_not_found(organizer, trade):
    assert organizer.post(f"{BASE}/trades/W01/draw/medals").status_code == 404


def test_a_team_gets_one_number(organizer, trade, make_trade, make_entrant):
    pair = make_trade(trade.event, code="P01", entry_type=EntryType.PAIR)
    delegation = trade.event.delegations[0]
    teams = [make_entrant(pair, delegation) for _ in range(3)]
    organizer.post(f"{BASE}/trades/P01/draw/numbers")
    db.session.expire_all()
    assert sorted(db.session.get(Entrant, t.id).draw_number for t in teams) == [1, 2, 3]


# --- anonymous codes ------------------------------------------------------------------------------------

def codes() -> list[str]:
    return [e.anonymous_code for e in entrants() if e.anonymous_code]


def shows(html: str, code: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9]){re.escape(code)}(?![A-Za-z0-9])", html) is not None


def test_codes_are_drawn_for_registered_entrants_and_audited(organizer, trade):
    post_draw(organizer, "codes")
    assert len(codes()) == 6 and len(set(codes())) == 6
    [record] = records("codes")
    assert registration.verify(record)
    assert lots.anonymous_codes(record.entrant_ids, record.seed) == {
        e.id: e.anonymous_code for e in entrants() if e.anonymous_code}


def test_organizers_see_the_codes(organizer, trade):
    post_draw(organizer, "codes")
    html = organizer.get(f"{BASE}/trades/W01/entrants").get_data(as_text=True)
    assert all(shows(html, code) for code in codes())


def supervisor_sees(app, users) -> str:
    client = client_for(app, users["supervisor"])
    pages = [f"{BASE}/trades/W01/entrants", f"{BASE}/contestants", f"{BASE}/registration-summary"]
    html = "".join(client.get(url).get_data(as_text=True) for url in pages)
    for url in (f"{BASE}/trades/W01/sign-in.xlsx", f"{BASE}/lists/registrations.xlsx"):
        book = open_workbook(client.get(url).data)
        html += " ".join(str(c.value) for sheet in book for r in sheet.iter_rows() for c in r)
    return html


def test_codes_never_reach_a_supervisor_before_they_are_revealed(app, organizer, users, trade):
    post_draw(organizer, "codes")
    html = supervisor_sees(app, users)
    assert not any(shows(html, code) for code in codes())
    [record] = records("codes")
    assert record.seed not in html  # the seed would give the codes away


@pytest.mark.parametrize("role", ["judge", "chief_judge"])
def test_judges_cannot_open_the_entrants_page(app, organizer, users, trade, role):
    post_draw(organizer, "codes")
    client = client_for(app, users[role])
    assert client.get(f"{BASE}/trades/W01/entrants").status_code == 403


def test_the_public_pages_show_no_codes(app, organizer, trade):
    post_draw(organizer, "codes")
    client = client_for(app, None)
    html = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert not any(shows(html, code) for code in codes())


@pytest.mark.parametrize("status", [TradeStatus.SETUP, TradeStatus.OPEN])
def test_codes_cannot_be_revealed_before_sign_off(organizer, trade, status):
    post_draw(organizer, "codes")
    trade.status = status
    db.session.commit()
    response = organizer.post(f"{BASE}/trades/W01/reveal", follow_redirects=True)
    assert "only after the trade is signed off" in page_text(response)
    db.session.refresh(trade)
    assert not trade.codes_revealed


def test_revealed_codes_are_shown_to_the_supervisor(app, organizer, users, trade):
    post_draw(organizer, "codes")
    trade.status = TradeStatus.SIGNED_OFF
    db.session.commit()
    response = organizer.post(f"{BASE}/trades/W01/reveal", follow_redirects=True)
    assert "The codes are revealed." in page_text(response)
    db.session.refresh(trade)
    assert trade.codes_revealed
    html = client_for(app, users["supervisor"]).get(f"{BASE}/trades/W01/entrants").get_data(as_text=True)
    assert all(shows(html, code) for code in codes())


def test_codes_are_frozen_once_scoring_opens(organizer, trade):
    post_draw(organizer, "codes")
    before = codes()
    trade.status = TradeStatus.OPEN
    db.session.commit()
    assert "Scoring has opened" in page_text(post_draw(organizer, "codes"))
    assert codes() == before
