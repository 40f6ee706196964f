"""Registering contestants through the organizer's pages: the rules on a person, duplicates,
quotas, teams, status changes, the searchable list at a few hundred rows, masked ID numbers,
who may reach which page, and the demo competitions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from competition.domain.idcard import IdType, mask_id, validate_id
from competition.extensions import db
from competition.models import (
    Contestant,
    Delegation,
    Entrant,
    EntrantStatus,
    EntryType,
    Event,
    Role,
    Trade,
    TradeStatus,
)
from tests.app.support import (
    client_for,
    count_queries,
    form_errors,
    page_text,
    resident_id,
    resident_id_ending_in_x,
    route_url,
    wrong_check_digit,
)

BASE = "/manage/events/HN2026"


@dataclass
class World:
    event: Event
    zz: Delegation
    kf: Delegation
    welding: Trade
    pair: Trade
    users: dict


@pytest.fixture
def world(make_event, make_delegation, make_trade, make_user) -> World:
    event, other = make_event("HN2026"), make_event("OTHER")
    zz = make_delegation(event, code="ZZ", name_zh="郑州市")
    kf = make_delegation(event, code="KF", name_zh="开封市")
    welding = make_trade(event, code="W01", name_zh="焊接", name_en="Welding", quota_per_delegation=2)
    pair = make_trade(event, code="P01", name_zh="机电一体化", entry_type=EntryType.PAIR,
                      quota_per_delegation=1)
    users = {
        "organizer": make_user(Role.ORGANIZER, event),
        "supervisor": make_user(Role.SUPERVISOR, event),
        "judge": make_user(Role.JUDGE, event, trades=[welding], delegation=zz),
        "chief_judge": make_user(Role.CHIEF_JUDGE, event, trades=[welding], chief=True),
        "other_organizer": make_user(Role.ORGANIZER, other),
        "administrator": make_user(Role.ADMINISTRATOR),
    }
    return World(event, zz, kf, welding, pair, users)


@pytest.fixture
def organizer_account(world):
    return world.users["organizer"]


def person(world: World, **fields) -> dict:
    data = {"name": "张伟", "id_type": "resident", "id_number": resident_id(), "gender": "",
            "birth_date": "", "employer": "郑州市技师学院", "phone": "13800138000", "remarks": "",
            "delegation_id": world.zz.id, "trade_id": world.welding.id, "team_name": ""}
    data.update(fields)
    return data


def register(client, world: World, **fields):
    return client.post(f"{BASE}/contestants/new", data=person(world, **fields))


def contestants() -> list[Contestant]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Contestant).order_by(Contestant.id)))


# --- the rules on one person, through the real form ----------------------------------------------

def test_a_valid_resident_id_fills_birth_date_and_gender(organizer, world):
    response = register(organizer, world, id_number=resident_id(date(1999, 3, 15), sequence=2))
    assert response.status_code == 302, form_errors(response)
    [stored] = contestants()
    assert (stored.birth_date, stored.gender) == (date(1999, 3, 15), "F")
    assert stored.competitor_number == "W01-001"
    assert stored.entrant.trade_id == world.welding.id and stored.entrant.status == "registered"


@pytest.mark.parametrize("fields, field, message", [
    ({"id_number": wrong_check_digit(resident_id())}, "id_number", "check digit is wrong"),
    ({"birth_date": "1999-03-16"}, "birth_date", "does not match the ID number"),
    ({"gender": "F"}, "gender", "belongs to a man"),
    ({"id_number": resident_id()[:17]}, "id_number", "18 characters"),
    ({"id_number": "41010219990231001" + "1"}, "id_number", "not a date"),
    ({"phone": "12345"}, "phone", "not a phone number we recognise"),
    ({"phone": "138001380001"}, "phone", "not a phone number we recognise"),
    ({"name": "张三3"}, "name", "cannot contain digits"),
], ids=["check-digit", "birth-date", "gender", "short", "impossible-date", "phone", "phone-12-digits",
        "name-digit"])
def test_a_bad_person_is_refused_next_to_the_field(organizer, world, fields, field, message):
    response = register(organizer, world, **fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = re.findall(rf'<p class="error" id="{field}-err">(.*?)</p>', html, re.S)
    assert any(message in e for e in errors), form_errors(response)
    assert contestants() == []


def test_an_x_check_digit_is_accepted_in_either_case(organizer, world):
    number = resident_id_ending_in_x()
    response = register(organizer, world, id_number=number[:-1] + "x")
    assert response.status_code == 302, form_errors(response)
    assert contestants()[0].id_number == number


@pytest.mark.parametrize("spacing", ["", " "], ids=["full-width", "grouped"])
def test_a_full_width_id_number_is_folded(organizer, world, spacing):
    number = resident_id()
    wide = "".join(chr(ord(c) + 0xFEE0) for c in number)
    typed = spacing.join((wide[:6], wide[6:14], wide[14:]))
    assert register(organizer, world, id_number=typed).status_code == 302
    assert contestants()[0].id_number == number


def test_other_documents_have_no_checksum(organizer, world):
    response = register(organizer, world, id_type="passport", id_number="e12345678", gender="M")
    assert response.status_code == 302, form_errors(response)
    [stored] = contestants()
    assert (stored.id_type, stored.id_number, stored.birth_date) == (IdType.PASSPORT, "E12345678", None)


def test_a_passport_needs_the_gender(organizer, world):
    response = register(organizer, world, id_type="passport", id_number="E12345678")
    assert response.status_code == 422
    assert any("gender" in e for e in form_errors(response))


@pytest.mark.parametrize("typed, stored", [
    ("阿卜杜拉 • 买买提", "阿卜杜拉·买买提"),
    ("阿卜杜拉.买买提", "阿卜杜拉·买买提"),
    ("张 三", "张三"),
    ("ＬＩ　Ｍｉｎｇ", "LI Ming"),
    ("  王芳  ", "王芳"),
], ids=["bullet", "full-stop", "space", "full-width", "padding"])
def test_names_are_normalised_not_refused(organizer, world, typed, stored):
    response = register(organizer, world, name=typed)
    assert response.status_code == 302, form_errors(response)
    assert contestants()[0].name == stored


@pytest.mark.parametrize("typed, stored", [
    ("138 0013 8000", "13800138000"), ("+86 138-0013-8000", "13800138000"),
    ("0371-12345678", "0371-12345678"), ("", "")])
def test_phones_are_stored_in_one_form(organizer, world, typed, stored):
    assert register(organizer, world, phone=typed).status_code == 302
    assert contestants()[0].phone == stored


# --- duplicates, quotas, teams -------------------------------------------------------------------

def test_the_same_person_twice_in_one_trade_is_refused(organizer, world):
    assert register(organizer, world).status_code == 302
    again = register(organizer, world, delegation_id=world.kf.id, name="张伟伟")
    assert again.status_code == 422
    assert any("registered in this trade already" in e for e in form_errors(again))
    assert len(contestants()) == 1


def test_the_same_person_in_two_trades_is_allowed(organizer, world, make_trade):
    other = make_trade(world.event, code="W02")
    assert register(organizer, world).status_code == 302
    assert register(organizer, world, trade_id=other.id).status_code == 302
    assert sorted(c.competitor_number for c in contestants()) == ["W01-001", "W02-001"]


def test_editing_cannot_make_a_duplicate(organizer, world):
    register(organizer, world)
    register(organizer, world, id_number=resident_id(sequence=3), name="李强")
    second = contestants()[1]
    response = organizer.post(f"{BASE}/contestants/{second.id}",
                              data=person(world, id_number=resident_id(), name="李强"))
    assert response.status_code == 422
    assert any("registered in this trade already" in e for e in form_errors(response))


def test_editing_saves_corrections(organizer, world):
    register(organizer, world)
    stored = contestants()[0]
    response = organizer.post(f"{BASE}/contestants/{stored.id}",
                              data=person(world, name="张 伟", phone="0371-12345678",
                                          employer="开封技工学校"))
    assert response.status_code == 302, form_errors(response)
    stored = contestants()[0]
    assert (stored.name, stored.phone, stored.employer) == ("张伟", "0371-12345678", "开封技工学校")


def ids(n: int) -> list[str]:
    return [resident_id(date(1995, 1, 1) + timedelta(days=i), sequence=2 * i + 1) for i in range(n)]


def test_the_delegation_quota_counts_entrants_not_withdrawn(organizer, world):
    first, second, third = ids(3)
    assert register(organizer, world, id_number=first, name="甲").status_code == 302
    assert register(organizer, world, id_number=second, name="乙").status_code == 302
    over = register(organizer, world, id_number=third, name="丙")
    assert over.status_code == 422
    assert any("quota for this trade is 2" in e for e in form_errors(over))
    assert register(organizer, world, id_number=third, name="丙", delegation_id=world.kf.id
                    ).status_code == 302  # another delegation has its own quota

    withdrawn = contestants()[0].entrant
    response = organizer.post(f"{BASE}/entrants/{withdrawn.id}/status",
                              data={"s-status": "withdrawn", "s-reason": "伤病"})
    assert response.status_code == 302
    assert register(organizer, world, id_number=ids(4)[3], name="丁").status_code == 302

    client_flash = organizer.post(f"{BASE}/entrants/{withdrawn.id}/status",
                                  data={"s-status": "registered", "s-reason": ""},
                                  follow_redirects=True)
    assert "quota" in page_text(client_flash)
    db.session.expire_all()
    assert db.session.get(Entrant, withdrawn.id).status == EntrantStatus.WITHDRAWN


def test_a_withdrawn_entrant_marked_absent_counts_against_the_quota_again(organizer, world):
    """Moving out of 'withdrawn' to any counted status is a reinstatement: the quota applies."""
    first, second, third = ids(3)
    register(organizer, world, id_number=first, name="甲")
    register(organizer, world, id_number=second, name="乙")
    withdrawn = contestants()[0].entrant
    organizer.post(f"{BASE}/entrants/{withdrawn.id}/status",
                   data={"s-status": "withdrawn", "s-reason": "伤病"})
    assert register(organizer, world, id_number=third, name="丙").status_code == 302
    organizer.post(f"{BASE}/entrants/{withdrawn.id}/status",
                   data={"s-status": "absent", "s-reason": "未到场"})
    db.session.expire_all()
    assert db.session.get(Entrant, withdrawn.id).status == EntrantStatus.WITHDRAWN
    active = db.session.scalar(sa.select(sa.func.count(Entrant.id)).where(
        Entrant.trade_id == world.welding.id, Entrant.delegation_id == world.zz.id,
        Entrant.status != EntrantStatus.WITHDRAWN))
    assert active == 2


def test_a_pair_trade_needs_a_team_name(organizer, world):
    response = register(organizer, world, trade_id=world.pair.id)
    assert response.status_code == 422
    assert "give the team's name" in page_text(response)


def test_a_team_fills_up_and_counts_once_against_the_quota(organizer, world):
    a, b, c = ids(3)
    for number, name in ((a, "甲"), (b, "乙")):
        response = register(organizer, world, trade_id=world.pair.id, id_number=number, name=name,
                            team_name="一队")
        assert response.status_code == 302, form_errors(response)
    full = register(organizer, world, trade_id=world.pair.id, id_number=c, name="丙", team_name="一队")
    assert full.status_code == 422
    assert any("allows 2" in e for e in form_errors(full))
    second_team = register(organizer, world, trade_id=world.pair.id, id_number=c, name="丙",
                           team_name="二队")
    assert second_team.status_code == 422  # the quota of the pair trade is one entrant
    assert any("quota" in e for e in form_errors(second_team))
    [team] = {c.entrant for c in contestants()}
    assert team.team_name == "一队" and [m.name for m in team.members] == ["甲", "乙"]


def test_a_team_name_in_an_individual_trade_is_ignored(organizer, world):
    assert register(organizer, world, team_name="一队").status_code == 302
    assert contestants()[0].entrant.team_name is None


def test_a_team_name_is_per_delegation(organizer, world):
    a, b = ids(2)
    register(organizer, world, trade_id=world.pair.id, id_number=a, name="甲", team_name="一队")
    response = register(organizer, world, trade_id=world.pair.id, id_number=b, name="乙",
                        team_name="一队", delegation_id=world.kf.id)
    assert response.status_code == 302
    teams = {c.entrant for c in contestants()}
    assert len(teams) == 2 and {t.delegation_id for t in teams} == {world.zz.id, world.kf.id}


def test_a_signed_off_trade_takes_no_new_contestants(organizer, world):
    world.welding.status = TradeStatus.SIGNED_OFF
    db.session.commit()
    response = register(organizer, world)
    assert "signed off" in page_text(response)
    assert contestants() == []


# --- status --------------------------------------------------------------------------------------

def test_a_status_change_needs_a_reason_and_keeps_it(organizer, world):
    register(organizer, world)
    entrant = contestants()[0].entrant
    url = f"{BASE}/entrants/{entrant.id}/status"
    refused = organizer.post(url, data={"s-status": "disqualified", "s-reason": " "},
                             follow_redirects=True)
    assert "Give the reason" in page_text(refused)
    db.session.expire_all()
    assert db.session.get(Entrant, entrant.id).status == EntrantStatus.REGISTERED
    organizer.post(url, data={"s-status": "disqualified", "s-reason": "使用违禁工具"})
    db.session.expire_all()
    stored = db.session.get(Entrant, entrant.id)
    assert (stored.status, stored.status_reason) == (EntrantStatus.DISQUALIFIED, "使用违禁工具")
    page = organizer.get(f"{BASE}/contestants/{contestants()[0].id}")
    assert "使用违禁工具" in page_text(page) and "Disqualified" in page_text(page)
    organizer.post(url, data={"s-status": "registered", "s-reason": ""})
    db.session.expire_all()
    assert db.session.get(Entrant, entrant.id).status == EntrantStatus.REGISTERED


def test_the_status_of_another_events_entrant_is_not_found(organizer, world, make_event,
                                                            make_delegation, make_trade,
                                                            make_entrant):
    other = make_event()
    foreign = make_entrant(make_trade(other), make_delegation(other))
    response = organizer.post(f"{BASE}/entrants/{foreign.id}/status",
                              data={"s-status": "withdrawn", "s-reason": "x"})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Entrant, foreign.id).status == EntrantStatus.REGISTERED


# --- the list at a few hundred rows ---------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚"


@pytest.fixture
def crowd(world, make_trade):
    """300 contestants: 3 trades × 2 delegations, 10 withdrawn, one special name and employer."""
    trades = [world.welding, make_trade(world.event, code="W02", name_zh="车加工"),
              make_trade(world.event, code="W03", name_zh="铣加工")]
    people = []
    for i in range(300):
        trade, delegation = trades[i % 3], (world.zz, world.kf)[i % 2]
        name = "欧阳娜娜" if i == 123 else SURNAMES[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[i % 7]
        entrant = Entrant(trade=trade, delegation=delegation,
                          status=EntrantStatus.WITHDRAWN if i % 30 == 0 else EntrantStatus.REGISTERED,
                          status_reason="伤病" if i % 30 == 0 else "")
        number = resident_id(date(1990, 1, 1) + timedelta(days=i), sequence=i % 500 + 1)
        entrant.members.append(Contestant(
            event_id=world.event.id, trade=trade, delegation=delegation, name=name,
            gender="M" if (i % 500 + 1) % 2 else "F", id_type="resident", id_number=number,
            employer="开封高级技工学校" if i == 200 else "郑州市技师学院",
            phone=f"139{i:08d}", competitor_number=f"{trade.code}-{i // 3 + 1:03d}"))
        people.append(entrant.members[0])
        db.session.add(entrant)
    db.session.commit()
    return people


def listed(response) -> list[str]:
    html = response.get_data(as_text=True)
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return re.findall(r"<tr>\s*<td>([^<]+)</td>", body)


def total(response) -> int:
    found = re.search(r"(\d+) in all", page_text(response))
    assert found, page_text(response)[:500]
    return int(found.group(1))


@pytest.mark.parametrize("query, expected", [
    ({}, 300),
    ({"q": "欧阳娜娜"}, 1),
    ({"q": "W02-017"}, 1),
    ({"q": "开封高级"}, 1),
    ({"trade": "W03"}, 100),
    ({"delegation": "KF"}, 150),
    ({"status": "withdrawn"}, 10),
    ({"status": "registered", "trade": "W01", "delegation": "ZZ"}, 40),
    ({"status": "nonsense"}, 300),
], ids=["all", "name", "number", "employer", "trade", "delegation", "status", "combined",
        "unknown-status"])
def test_search_and_filters(organizer, crowd, query, expected):
    response = organizer.get(f"{BASE}/contestants", query_string=query)
    assert response.status_code == 200
    assert total(response) == expected


def test_search_by_id_number_is_exact(organizer, crowd):
    """Issue 13: a POST (the number stays out of URLs and access logs), and the page does not
    repeat the number, not even in the search box."""
    wanted = crowd[77]
    response = organizer.post(f"{BASE}/contestants/find", data={"id_number": wanted.id_number.lower()})
    assert total(response) == 1 and listed(response) == [wanted.competitor_number]
    assert wanted.id_number not in response.get_data(as_text=True)
    partial = organizer.post(f"{BASE}/contestants/find", data={"id_number": wanted.id_number[:14]})
    assert "No contestant matches" in page_text(partial)


@pytest.mark.parametrize("role", ["organizer", "supervisor"])
def test_the_search_box_never_matches_an_id_number(app, world, crowd, role):
    """A GET's query string lands in access logs, and a supervisor who sees masked numbers
    must get no yes/no answer for a full one."""
    client = client_for(app, world.users[role])
    response = client.get(f"{BASE}/contestants", query_string={"q": crowd[77].id_number})
    assert "No contestant matches" in page_text(response)


def test_supervisors_cannot_search_by_id_number(app, world, crowd):
    client = client_for(app, world.users["supervisor"])
    assert client.post(f"{BASE}/contestants/find",
                       data={"id_number": crowd[77].id_number}).status_code == 403
    assert "Find by ID number" not in page_text(client.get(f"{BASE}/contestants"))


def test_the_list_is_paginated_and_keeps_its_filters(organizer, crowd):
    first = organizer.get(f"{BASE}/contestants")
    assert len(listed(first)) == 50 and "Page 1 of 6" in page_text(first)
    last = organizer.get(f"{BASE}/contestants", query_string={"page": 6})
    assert len(listed(last)) == 50 and "Page 6 of 6" in page_text(last)
    seen = set()
    for page in range(1, 7):
        seen |= set(listed(organizer.get(f"{BASE}/contestants", query_string={"page": page})))
    assert len(seen) == 300
    filtered = organizer.get(f"{BASE}/contestants", query_string={"delegation": "KF"})
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', filtered.get_data(as_text=True)).group(1)
    assert "delegation=KF" in next_link


def test_the_list_page_needs_few_queries(app, organizer, crowd):
    with count_queries() as statements:
        assert organizer.get(f"{BASE}/contestants").status_code == 200
    assert len(statements) <= 15, len(statements)


@pytest.mark.parametrize("role", ["organizer", "supervisor"])
def test_list_pages_never_show_a_full_id_number_or_phone(app, world, crowd, role):
    client = client_for(app, world.users[role])
    pages = [f"{BASE}/contestants?page={n}" for n in range(1, 7)]
    pages += [f"{BASE}/trades/{code}/entrants" for code in ("W01", "W02", "W03")]
    pages += [f"{BASE}/registration-summary"]
    html = "".join(client.get(url).get_data(as_text=True) for url in pages)
    for contestant in crowd:
        assert contestant.id_number not in html
        assert contestant.phone not in html
    assert mask_id(crowd[0].id_number) in html


def test_the_summary_counts_trade_by_delegation(organizer, crowd):
    text = page_text(organizer.get(f"{BASE}/registration-summary"))
    assert "290 contestants" in text  # withdrawn ones are not counted


# --- who may reach what -----------------------------------------------------------------------------

READ, ORGANIZE = "read", "organize"
ACCESS = {
    "registration.contestants": READ,
    "registration.summary": READ,
    "registration.entrants": READ,
    "registration.registration_list": READ,
    "registration.sign_in_sheet": READ,
    "registration.delegation_sign_in": READ,
    "registration.new_contestant": ORGANIZE,
    "registration.find_contestant": ORGANIZE,
    "registration.edit_contestant": ORGANIZE,
    "registration.entrant_status": ORGANIZE,
    "registration.import_contestants": ORGANIZE,
    "registration.contestant_template": ORGANIZE,
    "registration.draw": ORGANIZE,
    "registration.reveal": ORGANIZE,
}


def registration_routes(app) -> list[tuple[str, str, str]]:
    return sorted((rule.endpoint, rule.rule, method) for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith("registration.")
                  for method in rule.methods - {"HEAD", "OPTIONS"})


def test_every_registration_route_has_an_access_rule(app):
    assert {endpoint for endpoint, _, _ in registration_routes(app)} == set(ACCESS)


@pytest.fixture
def targets(world, make_entrant):
    entrant = make_entrant(world.welding, world.zz)
    return {"event_code": "HN2026", "contestant_id": entrant.members[0].id, "entrant_id": entrant.id,
            "trade_code": "W01", "kind": "numbers", "delegation_code": "ZZ"}


@pytest.mark.parametrize("role", ["anonymous", "judge", "chief_judge", "other_organizer",
                                  "supervisor", "organizer", "administrator"])
def test_access_to_every_registration_route(app, world, targets, role):
    client = client_for(app, None if role == "anonymous" else world.users[role])
    for endpoint, rule, method in registration_routes(app):
        url = route_url(rule, targets)
        response = client.get(url) if method == "GET" else client.post(url, data={})
        where = (role, method, url, response.status_code)
        if role == "anonymous":
            assert response.status_code == 302, where
            assert response.headers["Location"].startswith("/auth/login"), where
        elif role in ("judge", "chief_judge", "other_organizer"):
            assert response.status_code == 403, where
        elif role == "supervisor":
            expected = 200 if ACCESS[endpoint] == READ and method == "GET" else 403
            assert response.status_code == expected, where
        else:
            assert response.status_code in (200, 302, 422), where
            assert not response.headers.get("Location", "").startswith("/auth/login"), where


def test_an_unknown_event_is_not_found(organizer):
    assert organizer.get("/manage/events/NOPE/contestants").status_code in (403, 404)


# --- the demo competitions ------------------------------------------------------------------------

def test_the_seed_demo_has_2221_valid_contestants(runner):
    result = runner.invoke(args=["demo", "--size", "seed"])
    assert result.exit_code == 0, result.output
    event = db.session.scalar(sa.select(Event).where(Event.code == "HN2026"))
    people = db.session.scalars(sa.select(Contestant).where(Contestant.event_id == event.id)).all()
    assert len(people) == 2221
    assert len(event.delegations) == 19
    for contestant in people:
        assert contestant.id_type == IdType.RESIDENT
        assert validate_id(IdType.RESIDENT, contestant.id_number, contestant.birth_date,
                           contestant.gender) == [], contestant.id_number
        assert contestant.delegation_id == contestant.entrant.delegation_id
        assert contestant.trade_id == contestant.entrant.trade_id
    assert len({(c.trade_id, c.id_number) for c in people}) == 2221
    assert len({c.competitor_number for c in people}) == 2221
    entrants = db.session.scalars(sa.select(Entrant).join(Trade).where(Trade.event_id == event.id)
                                  .options(selectinload(Entrant.members))).all()
    per_delegation = {}
    for entrant in entrants:
        trade = entrant.trade
        if trade.entry_type == EntryType.PAIR:
            assert entrant.team_name and len(entrant.members) == 2
        else:
            assert entrant.team_name is None and len(entrant.members) == 1
        key = (trade.id, entrant.delegation_id)
        per_delegation[key] = per_delegation.get(key, 0) + 1
        assert per_delegation[key] <= (trade.quota_per_delegation or 10 ** 6)
    assert sum(1 for t in event.trades if t.entry_type == EntryType.PAIR) == 6


def test_the_small_demo_has_69_contestants(runner):
    result = runner.invoke(args=["demo", "--size", "small"])
    assert result.exit_code == 0, result.output
    event = db.session.scalar(sa.select(Event).where(Event.code == "DEMO2026"))
    count = db.session.scalar(sa.select(sa.func.count(Contestant.id))
                              .where(Contestant.event_id == event.id))
    assert count == 69
