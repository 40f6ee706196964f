"""The venue's Excel lists: sign-in sheets in draw order, registration lists and delegation lists,
with ID numbers masked for everyone but organizers and no cell Excel would run as a formula."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from competition.domain.idcard import mask_id
from competition.domain.people import mask_phone
from competition.extensions import db
from competition.models import Contestant, Entrant, EntrantStatus, EntryType, Role
from tests.app.support import client_for, open_workbook

BASE = "/manage/events/HN2026"
FORMULA = '=HYPERLINK("http://example.invalid","x")'


@pytest.fixture
def event(make_event, make_delegation, make_trade, make_entrant):
    """Trade W01 with 5 entrants (one withdrawn, one with a formula-like name), pair trade P01
    with 2 teams, trade W02 with one entrant; delegations ZZ and KF."""
    event = make_event("HN2026", name_zh="河南省第二届职业技能大赛")
    zz = make_delegation(event, code="ZZ", name_zh="郑州市")
    kf = make_delegation(event, code="KF", name_zh="开封市")
    welding = make_trade(event, code="W01", name_zh="焊接")
    pair = make_trade(event, code="P01", name_zh="机电一体化", entry_type=EntryType.PAIR)
    turning = make_trade(event, code="W02", name_zh="车加工")
    for i in range(5):
        make_entrant(welding, (zz, kf)[i % 2], names=(FORMULA,) if i == 2 else ())
    make_entrant(pair, zz)
    make_entrant(pair, kf)
    make_entrant(turning, zz)
    people = db.session.scalars(sa.select(Contestant).order_by(Contestant.id)).all()
    for n, person in enumerate(people):
        person.phone = f"1380013{n:04d}"
        person.employer = "+SUM(1,2)" if n == 0 else "@郑州市技师学院"
    db.session.scalars(sa.select(Entrant).order_by(Entrant.id)).all()[1].status = EntrantStatus.WITHDRAWN
    db.session.commit()
    return event


@pytest.fixture
def users(event, make_user):
    return {"organizer": make_user(Role.ORGANIZER, event),
            "supervisor": make_user(Role.SUPERVISOR, event)}


@pytest.fixture
def organizer_account(users):
    return users["organizer"]


def table(data: bytes, first_header: str) -> tuple[list[str], list[dict]]:
    """The header and data rows (as dicts) of the first sheet; no cell may be a formula."""
    book = open_workbook(data)
    sheet = book.worksheets[0]
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
    lines = [[cell.value for cell in line] for line in sheet.iter_rows()]
    start = next(i for i, line in enumerate(lines) if line and line[0] == first_header)
    header = lines[start]
    return header, [dict(zip(header, line)) for line in lines[start + 1:] if any(line)]


def people(**where) -> list[Contestant]:
    db.session.expire_all()
    query = sa.select(Contestant).join(Contestant.trade).order_by(Contestant.id)
    for key, value in where.items():
        query = query.where(getattr(Contestant, key) == value)
    return list(db.session.scalars(query))


def test_the_sign_in_sheet_follows_the_draw_and_masks_ids(organizer, event):
    organizer.post(f"{BASE}/trades/W01/draw/numbers")
    response = organizer.get(f"{BASE}/trades/W01/sign-in.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith("sign-in-HN2026-W01.xlsx")
    header, rows = table(response.data, "Draw")
    assert header[:6] == ["Draw", "Number", "Name", "Delegation", "Team", "ID number"]
    assert [r["Draw"] for r in rows] == [1, 2, 3, 4]  # the withdrawn entrant is left out
    welders = {c.competitor_number: c for c in people() if c.trade.code == "W01"}
    for r in rows:
        person = welders[r["Number"]]
        assert r["ID number"] == mask_id(person.id_number) and "*" in r["ID number"]
        assert r["Name"] == person.name and person.entrant.draw_number == r["Draw"]
    assert FORMULA in [r["Name"] for r in rows]  # kept as text, never a formula


def test_a_team_signs_in_under_one_draw_number(organizer, event):
    organizer.post(f"{BASE}/trades/P01/draw/numbers")
    _, rows = table(organizer.get(f"{BASE}/trades/P01/sign-in.xlsx").data, "Draw")
    assert sorted(r["Draw"] for r in rows) == [1, 1, 2, 2]
    for number in (1, 2):
        team = [r for r in rows if r["Draw"] == number]
        assert len({r["Team"] for r in team}) == 1 and len({r["Delegation"] for r in team}) == 1


def test_an_undrawn_trade_lists_everyone_without_numbers(organizer, event):
    _, rows = table(organizer.get(f"{BASE}/trades/W01/sign-in.xlsx").data, "Draw")
    assert len(rows) == 4 and all(r["Draw"] in (None, "") for r in rows)


def test_the_registration_list_shows_full_ids_to_organizers_only(app, organizer, users, event):
    header, rows = table(organizer.get(f"{BASE}/lists/registrations.xlsx").data, "Number")
    everyone = {c.competitor_number: c for c in people()}
    assert len(rows) == len(everyone) == 10
    for r in rows:
        assert r["ID number"] == everyone[r["Number"]].id_number
        assert r["Phone"] == everyone[r["Number"]].phone
    assert {r["Status"] for r in rows} == {"Registered", "Withdrawn"}
    supervisor = client_for(app, users["supervisor"])
    _, masked = table(supervisor.get(f"{BASE}/lists/registrations.xlsx").data, "Number")
    for r in masked:
        person = everyone[r["Number"]]
        assert r["ID number"] == mask_id(person.id_number) != person.id_number
        assert r["Phone"] == mask_phone(person.phone) != person.phone


def test_the_registration_list_keeps_text_that_looks_like_a_formula(organizer, event):
    _, rows = table(organizer.get(f"{BASE}/lists/registrations.xlsx").data, "Number")
    employers = {r["Employer or school"] for r in rows}
    assert "+SUM(1,2)" in employers and "@郑州市技师学院" in employers
    assert FORMULA in {r["Name"] for r in rows}


def test_the_registration_list_filters_by_trade_and_delegation(organizer, event):
    response = organizer.get(f"{BASE}/lists/registrations.xlsx",
                             query_string={"trade": "W01", "delegation": "KF"})
    assert response.headers["Content-Disposition"].endswith("registrations-HN2026-W01-KF.xlsx")
    _, rows = table(response.data, "Number")
    assert {(r["Trade code"], r["Delegation"]) for r in rows} == {("W01", "开封市")}
    assert len(rows) == 2


def test_the_delegation_list_covers_its_trades_and_masks_ids(organizer, event):
    response = organizer.get(f"{BASE}/delegations/ZZ/sign-in.xlsx")
    assert response.status_code == 200
    header, rows = table(response.data, "Trade code")
    mine = {c.competitor_number: c for c in people() if c.delegation.code == "ZZ"}
    assert sorted(r["Number"] for r in rows) == sorted(mine)
    assert [r["Trade code"] for r in rows] == sorted((r["Trade code"] for r in rows),
                                                      key=["W01", "P01", "W02"].index)
    for r in rows:
        assert r["ID number"] == mask_id(mine[r["Number"]].id_number)


def test_an_unknown_delegation_or_trade_is_not_found(organizer, event):
    assert organizer.get(f"{BASE}/delegations/XX/sign-in.xlsx").status_code == 404
    assert organizer.get(f"{BASE}/trades/X99/sign-in.xlsx").status_code == 404
