"""The read-only JSON API: medal table orders, a trade's published results, the live board."""

from __future__ import annotations

import pytest
from flask_babel import refresh

from competition.extensions import db
from competition.models import AwardRule, Contestant, Role
from competition.services import publishing, results


@pytest.fixture
def medals(scored_trade, make_event, make_delegation, make_user):
    """X: 2 gold; Y: 1 gold, 3 bronze; Z: 3 silver, 2 excellence; W: nothing — so the three
    orders rank them differently."""
    event = make_event(code="API1")
    x, y, z, w = (make_delegation(event, code=c, name_zh=f"{c}代表团") for c in "XYZW")
    organizer = make_user(Role.ORGANIZER, event)
    trades = [scored_trade([90, 80, 70], event=event, delegations=d)
              for d in ([x, z, y], [x, z, y], [y, z, y])]
    excellence = scored_trade([90, 80, 70, 60], event=event, delegations=[z, z, w, w])
    db.session.add(AwardRule(event_id=event.id, trade_id=excellence.trade.id, method="quotas",
                             quota_first=0, quota_second=0, quota_third=0, excellence="top_half"))
    demonstration = scored_trade([99, 98], event=event, delegations=[w, w], is_demonstration=True)
    db.session.commit()
    for s in (*trades, excellence, demonstration):
        results.publish(s.trade, organizer)
    return event, trades, organizer


def table(client, order=None):
    response = client.get("/api/v1/events/API1/medal-table" + (f"?order={order}" if order else ""))
    assert response.status_code == 200
    return response.get_json()


@pytest.mark.parametrize("order, ranking", [
    ("gold", [(1, "X"), (2, "Y"), (3, "Z"), (4, "W")]),
    ("total", [(1, "Y"), (2, "Z"), (3, "X"), (4, "W")]),
    ("points", [(1, "Z"), (2, "Y"), (3, "X"), (4, "W")]),
])
def test_medal_table_orders(medals, client, order, ranking):
    data = table(client, order)
    assert data["order"] == order
    assert [(row["rank"], row["delegation"]["code"]) for row in data["rows"]] == ranking


def test_medal_table_rows(medals, client):
    rows = {row["delegation"]["code"]: row for row in table(client)["rows"]}
    assert rows["X"] == {"rank": 1, "delegation": {"code": "X", "name_zh": "X代表团", "name_en": ""},
                         "gold": 2, "silver": 0, "bronze": 0, "excellence": 0, "total": 2,
                         "points": 8}
    assert (rows["Z"]["silver"], rows["Z"]["excellence"], rows["Z"]["points"]) == (3, 2, 11)
    assert rows["W"]["total"] == 0          # demonstration medals do not count


def test_medal_table_default_order_and_bad_order(medals, client):
    assert table(client)["order"] == "gold"
    assert client.get("/api/v1/events/API1/medal-table?order=silver").status_code == 400
    assert client.get("/api/v1/events/NOPE/medal-table").status_code == 404


def test_trade_results(medals, client):
    event, trades, _ = medals
    trade = trades[0].trade
    response = client.get(f"/api/v1/events/API1/trades/{trade.code}/results")
    data = response.get_json()
    assert data["trade"]["code"] == trade.code and data["version"] == 1 and not data["amended"]
    assert data["published_at"]
    first = data["entrants"][0]
    assert {k: first[k] for k in ("place", "total", "award", "status")} == {
        "place": 1, "total": 90, "award": "gold", "status": "registered"}
    assert first["delegation"]["code"] == "X" and first["number"] and first["name"]
    assert "criteria" not in first
    assert [e["award"] for e in data["entrants"]] == ["gold", "silver", "bronze"]
    ids = [c.id_number for c in db.session.query(Contestant)]
    assert not any(i in response.get_data(as_text=True) for i in ids)
    assert "phone" not in response.get_data(as_text=True)


def test_trade_results_amended_and_criteria(medals, client):
    event, trades, organizer = medals
    trade = trades[0].trade
    publishing.amend(trade, organizer, "Recount")
    results.set_criterion_marks_public(event, organizer, True)
    data = client.get(f"/api/v1/events/API1/trades/{trade.code}/results").get_json()
    assert data["amended"] and data["version"] == 2
    assert data["amendments"][0]["reason"] == "Recount"
    assert data["entrants"][0]["criteria"] == {"A": 90}


def test_unpublished_and_embargoed_results_are_404(medals, scored_trade, client):
    event, trades, organizer = medals
    waiting = scored_trade([50], event=event)
    assert client.get(f"/api/v1/events/API1/trades/{waiting.trade.code}/results").status_code == 404
    assert client.get("/api/v1/events/API1/trades/NOPE/results").status_code == 404
    results.set_embargo(event, organizer, True)
    for url in (f"/api/v1/events/API1/trades/{trades[0].trade.code}/results",
                "/api/v1/events/API1/medal-table"):
        response = client.get(url)
        assert response.status_code == 404 and "no-store" in response.headers["Cache-Control"]
    board = client.get("/api/v1/events/API1/board").get_json()
    assert board["public"] is False and board["trades"] == [] and board["medals"] == []


def test_board_json(medals, client):
    data = client.get("/api/v1/events/API1/board").get_json()
    assert data["event"]["code"] == "API1" and data["public"]
    assert len(data["trades"]) == 5
    entrant = data["trades"][-1]["entrants"][0]
    assert set(entrant) >= {"place", "name", "delegation", "total", "award"}
    assert [m["name"] for m in data["medals"]] == ["X代表团", "Y代表团", "Z代表团"]
    assert data["labels"]["medals"]
    client.post("/language", data={"lang": "en"})
    refresh()  # the test's app context outlives requests: drop Babel's cached locale
    english = client.get("/api/v1/events/API1/board").get_json()
    assert english["labels"]["gold"] == "Gold"
    assert english["trades"][-1]["entrants"][0]["award"] == "Gold"


def test_api_is_cached_publicly_and_revalidated(medals, client):
    response = client.get("/api/v1/events/API1/medal-table")
    assert "public" in response.headers["Cache-Control"]
    assert "max-age=30" in response.headers["Cache-Control"]
    again = client.get("/api/v1/events/API1/medal-table",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_api_has_no_write_methods(medals, client):
    assert client.post("/api/v1/events/API1/medal-table").status_code == 405
