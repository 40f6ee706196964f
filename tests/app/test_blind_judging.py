"""Blind judging leaks nothing indirectly (issue 13, finding 7): the judges' and chief judges'
pages carry no id that orders like registration, the chief's page for a code does not name the
judge recused from it, and a judge's own sheet leaves out the codes they are recused from."""

from __future__ import annotations

import random
import re
from decimal import Decimal

import pytest

from competition.domain.draw import anonymous_codes
from competition.extensions import db
from competition.models import Conflict, Role, TradeStatus
from competition.services import judging
from tests.app.support import page_text, read_workbook

DELEGATIONS = ("ZZ", "KF", "AY", "XX", "NY")
PER_DELEGATION = 4
# What a page may name an entrant by: field names, element ids and links.
EXPOSED = re.compile(r'(?:name|id|for|aria-describedby)="[mvoe]-([^"-]+)-\d+"'
                     r'|/entrants/([^"/?]+)')


@pytest.fixture
def blind(make_event, make_delegation, make_trade, make_user, make_entrant):
    """A blind trade whose 20 entrants were registered delegation by delegation (as the
    delegations' files arrive), with codes drawn at random; a judge of ZZ, a judge of no
    delegation, and a chief judge of no delegation."""
    event = make_event()
    delegations = {code: make_delegation(event, code=code, name_zh=f"{code}市") for code in DELEGATIONS}
    trade = make_trade(event, aspects=((Decimal(10), "measurement"), (Decimal(3), "judgement")),
                       status=TradeStatus.OPEN, uses_anonymous_codes=True)
    entrants = [make_entrant(trade, delegations[code]) for code in DELEGATIONS
                for _ in range(PER_DELEGATION)]
    codes = anonymous_codes([e.id for e in entrants], seed="blind-test")
    for entrant in entrants:
        entrant.anonymous_code = codes[entrant.id]
    db.session.commit()
    zz_judge = make_user(Role.JUDGE, event, trades=(trade,), delegation=delegations["ZZ"],
                         username="judge-zz", name="郑州裁判")
    other = make_user(Role.JUDGE, event, trades=(trade,), username="judge-free", name="自由裁判")
    chief = make_user(Role.CHIEF_JUDGE, event, trades=(trade,), chief=True, username="chief")
    return {"event": event, "trade": trade, "entrants": entrants, "delegations": delegations,
            "zz_judge": zz_judge, "other": other, "chief": chief}


def exposed_keys(html: str) -> set[str]:
    return {a or b for a, b in EXPOSED.findall(html)}


def delegation_runs(entrants_in_order) -> int:
    """How many neighbours in this order share a delegation (in registration order: 15 of 19)."""
    return sum(a.delegation_id == b.delegation_id for a, b in zip(entrants_in_order, entrants_in_order[1:]))


def test_no_registration_ordered_ids_in_a_blind_sheet(blind, client, login):
    """Sorting whatever the judge's and the chief judge's pages expose gives nothing away:
    no entrant id, and the entrants in the order of their keys are not grouped by delegation."""
    trade, entrants = blind["trade"], blind["entrants"]
    ids = {str(e.id) for e in entrants}
    by_id = {e.id: e for e in entrants}
    login(blind["other"])
    sheet = client.get(f"/judge/trades/{trade.id}/sheet").get_data(as_text=True)
    login(blind["chief"])
    progress = client.get(f"/judge/trades/{trade.id}/progress").get_data(as_text=True)
    for html in (sheet, progress):
        keys = exposed_keys(html)
        assert keys, "the page names its entrants somehow"
        assert not keys & ids, "an entrant id on a judge's page"
        known = judging.entrants_by_key(trade)
        assert keys <= set(known), "every key names an entrant of the trade"
        in_key_order = [by_id[known[key]] for key in sorted(keys)]
        assert len(in_key_order) == len(entrants)
        assert delegation_runs(in_key_order) <= 8, "the keys order like registration"
    # Nor does the order in which the chief's page lists the codes.
    codes = re.findall(r">([2-9A-Z]{4})</a>", progress)
    by_code = {e.anonymous_code: e for e in entrants}
    assert sorted(codes) == codes and len(codes) == len(entrants)
    assert delegation_runs([by_code[c] for c in codes]) <= 8


def test_sorting_entrants_by_what_the_old_pages_exposed_would_have_grouped_them(blind):
    """The check above is sharp: sorted by id, the entrants fall into their delegations."""
    assert delegation_runs(sorted(blind["entrants"], key=lambda e: e.id)) == 15


def test_a_judges_blind_sheet_leaves_out_their_own_delegations_codes(blind, client, login):
    trade, entrants, zz = blind["trade"], blind["entrants"], blind["delegations"]["ZZ"]
    login(blind["zz_judge"])
    client.post("/language", data={"lang": "en"})
    html = client.get(f"/judge/trades/{trade.id}/sheet").get_data(as_text=True)
    own = [e for e in entrants if e.delegation_id == zz.id]
    others = [e for e in entrants if e.delegation_id != zz.id]
    assert not [e for e in own if e.anonymous_code in html]
    assert all(e.anonymous_code in html for e in others)
    assert "recused" not in html and "own delegation" not in html
    assert f"0 of {len(others)} entrants you mark" in page_text(client.get(
        f"/judge/trades/{trade.id}/sheet"))
    rows = client.get("/judge/").get_data(as_text=True)
    assert f"0 / {len(others) * 2}" in rows  # the cells of the entrants the judge marks
    blank = read_workbook(client.get(f"/judge/trades/{trade.id}/blank.xlsx").data)
    cells = {str(v) for rows in blank.values() for r in rows for v in r if v}
    assert not [e for e in own if e.anonymous_code in cells]
    assert all(e.anonymous_code in cells for e in others)


def test_a_declared_conflict_is_left_out_of_a_blind_sheet_too(blind, client, login):
    trade, entrants, other = blind["trade"], blind["entrants"], blind["other"]
    target = entrants[7]
    db.session.add(Conflict(user_id=other.id, contestant_id=target.members[0].id, reason="师生"))
    db.session.commit()
    login(other)
    html = client.get(f"/judge/trades/{trade.id}/sheet").get_data(as_text=True)
    assert target.anonymous_code not in html
    assert sum(e.anonymous_code in html for e in entrants) == len(entrants) - 1


def test_a_forged_key_for_an_own_delegation_code_saves_nothing(blind, client, login):
    """The key of a code the judge may not mark is never on their page; forged, it is refused."""
    trade, zz = blind["trade"], blind["delegations"]["ZZ"]
    own = next(e for e in blind["entrants"] if e.delegation_id == zz.id)
    aspect = trade.criteria[0].aspects[0]
    key = judging.entrant_key(trade.id, own.id)
    login(blind["zz_judge"])
    response = client.post(f"/judge/trades/{trade.id}/sheet",
                           data={f"m-{key}-{aspect.id}": "5", f"v-{key}-{aspect.id}": "",
                                 f"o-{key}-{aspect.id}": ""})
    assert response.status_code == 422
    from competition.models import Score
    assert db.session.query(Score).count() == 0


def test_an_entrant_id_in_place_of_a_key_is_no_entrant(blind, client, login):
    trade, entrant = blind["trade"], blind["entrants"][5]
    aspect = trade.criteria[0].aspects[0]
    login(blind["other"])
    response = client.post(f"/judge/trades/{trade.id}/sheet",
                           data={f"m-{entrant.id}-{aspect.id}": "5"})
    assert response.status_code == 422
    login(blind["chief"])
    assert client.get(f"/judge/trades/{trade.id}/entrants/{entrant.id}").status_code == 404


def test_the_chiefs_page_for_a_blind_code_names_no_recused_judge(blind, client, login):
    """The ZZ judge is recused from the ZZ codes: the chief sees "recused", not who (whose
    delegation would tell the code's), and no delegation at all."""
    trade, zz = blind["trade"], blind["delegations"]["ZZ"]
    own = next(e for e in blind["entrants"] if e.delegation_id == zz.id)
    free = next(e for e in blind["entrants"] if e.delegation_id != zz.id)
    judge = blind["zz_judge"]
    login(blind["chief"])
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/judge/trades/{trade.id}/entrants/{judging.entrant_key(trade.id, own.id)}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert own.anonymous_code in html and "A recused judge" in html
    assert judge.username not in html and judge.name not in html
    assert not [d for d in blind["delegations"].values() if d.name_zh in html]
    assert "own delegation" not in html
    # Where the judge is not recused, the judge is named as usual.
    html = client.get(f"/judge/trades/{trade.id}/entrants/{judging.entrant_key(trade.id, free.id)}"
                      ).get_data(as_text=True)
    assert judge.username in html and "A recused judge" not in html


def test_organizers_still_see_who_is_recused_and_why(blind, client, login, make_user):
    trade, zz = blind["trade"], blind["delegations"]["ZZ"]
    own = next(e for e in blind["entrants"] if e.delegation_id == zz.id)
    login(make_user(Role.ORGANIZER, blind["event"]))
    html = client.get(f"/judge/trades/{trade.id}/entrants/{judging.entrant_key(trade.id, own.id)}"
                      ).get_data(as_text=True)
    assert blind["zz_judge"].username in html and "A recused judge" not in html


def test_once_the_codes_are_revealed_the_sheet_shows_recused_rows_again(blind, client, login):
    trade = blind["trade"]
    trade.codes_revealed = True
    db.session.commit()
    login(blind["zz_judge"])
    html = client.get(f"/judge/trades/{trade.id}/sheet").get_data(as_text=True)
    assert html.count('class="cell recused"') == PER_DELEGATION * 2


def test_keys_change_with_the_trade(blind, make_trade):
    other = make_trade(blind["event"])
    entrant = random.Random(1).choice(blind["entrants"])
    assert judging.entrant_key(blind["trade"].id, entrant.id) != judging.entrant_key(other.id, entrant.id)
