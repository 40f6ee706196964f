"""Issue 13, finding 3: a published trade's public facts (its names, whether it is a
demonstration trade, how awards and the medal table are named) are frozen with its published
version. Editing them changes nothing the public sees, and bumps nothing, until an amendment with
its reason publishes them; the organizer's pages say so. The code of a published trade (its
public address) cannot change."""

from __future__ import annotations

import pytest
from flask import current_app

from competition.extensions import db
from competition.models import Certificate, ResultVersion, Role
from competition.services import certificates, publishing, results, setup
from competition.services.errors import Invalid
from tests.app.support import client_for, event_rule, flashes, read_workbook

TRADE_FORM = {"category": "", "entry_type": "individual", "team_size": "1",
              "judgement_threshold": "1"}


@pytest.fixture
def two_trades(scored_trade, make_event, make_delegation, make_user):
    """X wins trade A, Y wins trade B (gold, silver), both published."""
    event = make_event(code="FRZ1", name_en="Frozen")
    event_rule(event, method="places", labels="medals")
    x, y = make_delegation(event, code="X", name_zh="X代表团"), make_delegation(
        event, code="Y", name_zh="Y代表团")
    organizer = make_user(Role.ORGANIZER, event)
    a = scored_trade([90, 80], event=event, delegations=[x, y], code="TA", name_zh="焊接",
                     name_en="Welding")
    b = scored_trade([90, 80], event=event, delegations=[y, y], code="TB", name_zh="烹饪",
                     name_en="Cooking")
    for s in (a, b):
        publishing.publish(s.trade, organizer)
    return event, a.trade, b.trade, organizer


def trade_data(trade, **changes) -> dict:
    return {"code": trade.code, "name_zh": trade.name_zh, "name_en": trade.name_en,
            "category": trade.category, "entry_type": trade.entry_type,
            "team_size": trade.team_size, "is_demonstration": trade.is_demonstration,
            "quota_per_delegation": trade.quota_per_delegation,
            "uses_anonymous_codes": trade.uses_anonymous_codes,
            "judgement_threshold": trade.judgement_threshold, **changes}


def cold_table(event) -> dict[str, tuple[int, int]]:
    """The public medal table as a worker with an empty cache computes it now."""
    current_app.extensions.pop("results_cache", None)
    return {row.code: (row.gold, row.silver) for row in results.public_medal_table(event)}


def everything_public(client, event, trade) -> dict:
    api = client.get(f"/api/v1/events/{event.code}/trades/{trade.code}/results").get_json()
    board = client.get(f"/api/v1/events/{event.code}/board").get_json()
    page = client.get(f"/events/{event.code}/trades/{trade.code}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    home = client.get(f"/events/{event.code}/", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    shown = next(t for t in board["trades"] if t["code"] == trade.code)
    return {"api": (api["trade"]["name_en"], api["trade"]["demonstration"]),
            "board": (shown["name"], shown["demonstration"]),
            "page demonstration": "Demonstration: not counted" in page,
            "page name": "Cooking" in page, "home demonstration": "Demonstration trades" in home}


def test_a_demonstration_flag_changed_after_publication_waits_for_an_amendment(two_trades,
                                                                                 client):
    """The issue: editing a published trade's demonstration flag changed the medal table at
    once, without a new results version (each worker served its own) and without an amendment
    on record."""
    event, _a, b, organizer = two_trades
    before = cold_table(event)
    assert before == {"X": (1, 0), "Y": (1, 2)}
    shown = everything_public(client, event, b)
    version = event.results_version

    setup.save_trade(event, b, trade_data(b, is_demonstration=True, name_en="Culinary arts"))
    db.session.refresh(event)
    assert cold_table(event) == before
    assert everything_public(client, event, b) == shown
    assert event.results_version == version                 # nothing public changed
    assert results.unpublished_facts(b) == ["names", "demonstration"]

    publishing.amend(b, organizer, "烹饪改为表演赛 / Cooking is a demonstration trade")
    db.session.refresh(event)
    assert event.results_version > version
    assert cold_table(event) == {"X": (1, 0), "Y": (0, 1)}
    now = everything_public(client, event, b)
    assert now["api"] == ("Culinary arts", True) and now["board"][1] is True
    assert now["page demonstration"] and now["home demonstration"]
    page = client.get(f"/events/{event.code}/trades/{b.code}").get_data(as_text=True)
    assert "Cooking is a demonstration trade" in page
    assert results.unpublished_facts(b) == []


def test_the_event_rule_naming_prizes_after_publication_waits_for_a_publication(two_trades,
                                                                                  client):
    event, a, _b, organizer = two_trades
    event_rule(event, method="places", labels="prizes")
    table = client.get(f"/api/v1/events/{event.code}/medal-table").get_json()
    assert table["award_names"] == "medals"
    trade = client.get(f"/api/v1/events/{event.code}/trades/{a.code}/results").get_json()
    assert trade["labels"] == "medals" and trade["entrants"][0]["award"] == "gold"
    publishing.amend(a, organizer, "奖项名称改为一二三等奖")
    table = client.get(f"/api/v1/events/{event.code}/medal-table").get_json()
    assert table["award_names"] == "prizes"
    trade = client.get(f"/api/v1/events/{event.code}/trades/{a.code}/results").get_json()
    assert trade["entrants"][0]["award"] == "first_prize"


def test_the_code_of_a_published_trade_cannot_change(two_trades, app):
    event, a, _b, organizer = two_trades
    with pytest.raises(Invalid) as refusal:
        setup.save_trade(event, a, trade_data(a, code="TZ"))
    assert "code" in refusal.value.problems
    client = client_for(app, organizer)
    response = client.post(f"/manage/events/{event.code}/trades/{a.code}/edit",
                           data={**TRADE_FORM, "code": "TZ", "name_zh": a.name_zh})
    assert response.status_code == 422 and "can no longer change" in response.get_data(
        as_text=True)
    unpublished = setup.save_trade(event, None, trade_data(a, code="TN", name_zh="新赛项"))
    assert setup.save_trade(event, unpublished, trade_data(unpublished, code="TM")).code == "TM"


def test_the_organizer_is_told_to_publish_an_amendment(two_trades, app):
    event, a, _b, organizer = two_trades
    client = client_for(app, organizer)
    edit = f"/manage/events/{event.code}/trades/{a.code}/edit"
    assert "its code can no longer change" in client.get(edit).get_data(as_text=True)
    response = client.post(edit, data={**TRADE_FORM, "code": a.code, "name_zh": "新焊接",
                                       "is_demonstration": "y"}, follow_redirects=True)
    assert any("publish an amendment" in text for text in flashes(response))
    assert "differs from its published results" in response.get_data(as_text=True)
    results_page = client.get(f"/manage/events/{event.code}/results/{a.code}").get_data(
        as_text=True)
    assert "Changed since publication" in results_page
    rule = client.post(f"/manage/events/{event.code}/award-rule", data={
        "method": "places", "labels": "prizes", "quota_first": "1", "quota_second": "1",
        "quota_third": "1", "ratio_first": "10", "ratio_second": "20", "ratio_third": "30",
        "ratio_rounding": "half_up", "tie_window": "2", "excellence": "none"},
        follow_redirects=True)
    assert any("Published trades that follow this rule: 2." in text for text in flashes(rule))


def test_workbook_and_certificates_show_the_trade_as_published(two_trades):
    event, a, _b, _organizer = two_trades
    setup.save_trade(event, a, trade_data(a, name_zh="新名称", name_en="New name"))
    certificates.issue(event)
    assert {c.trade_name_zh for c in db.session.query(Certificate)} == {"焊接", "烹饪"}
    summary = read_workbook(results.event_workbook(event, "zh"))["汇总"]
    assert [row[1] for row in summary if row and row[0] == a.code] == ["焊接"]


def test_versions_published_before_keep_their_own_facts(two_trades):
    event, a, _b, organizer = two_trades
    setup.save_trade(event, a, trade_data(a, name_zh="新焊接"))
    publishing.amend(a, organizer, "更名")
    names = [v.trade_name_zh for v in db.session.query(ResultVersion)
             .filter_by(trade_id=a.id).order_by(ResultVersion.number)]
    assert names == ["焊接", "新焊接"]
    assert results.published(a, 1).name_zh == "焊接"
