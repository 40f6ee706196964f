"""Public pages: only published, released results; never personal data; cached sensibly."""

from __future__ import annotations

import re

import pytest

from competition.extensions import db
from competition.models import Contestant, EntryType, Role
from competition.services import publishing, results
from tests.app.support import count_queries, event_rule

NAMES = ["张三", "李四", "王五"]


@pytest.fixture
def published(scored_trade, make_user, make_event):
    """A published trade and an unpublished (signed-off) one of the same event, with phones."""
    event = make_event(name_en="Test Competition")
    event_rule(event, method="places", titles=[{"name_zh": "技术能手", "name_en": "Technical Expert",
                                                 "up_to_place": 2}])
    done = scored_trade([(50, 40), (45, 35), (40, 30)], event=event, names=NAMES,
                        aspects=((60, "measurement"), (40, "measurement")))
    waiting = scored_trade([88, 77], event=event, names=["赵六", "钱七"])
    for contestant in db.session.query(Contestant):
        contestant.phone = "13800138000"
    db.session.commit()
    organizer = make_user(Role.ORGANIZER, event)
    results.publish(done.trade, organizer)
    return done, waiting, organizer


def html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def assert_no_personal_data(text: str) -> None:
    ids = [c.id_number for c in db.session.query(Contestant)]
    assert ids and not any(i in text for i in ids)
    assert "13800138000" not in text


def test_published_trade_page(published, client):
    done, _, _ = published
    page = html(client, f"/events/{done.event.code}/trades/{done.trade.code}")
    for name in NAMES:
        assert name in page
    assert done.entrants[0].members[0].competitor_number in page
    assert done.entrants[0].delegation.name_zh in page
    assert re.search(r">\s*90\s*<", page)
    assert "Amended" not in page and "更正" not in page
    assert_no_personal_data(page)


def test_unpublished_trade_shows_nothing(published, client):
    _, waiting, _ = published
    page = html(client, f"/events/{waiting.event.code}/trades/{waiting.trade.code}", 404)
    assert "赵六" not in page and not re.search(r">\s*88\s*<", page)


def test_unknown_event_and_trade_are_404(published, client):
    done, _, _ = published
    html(client, "/events/NOPE/", 404)
    html(client, f"/events/{done.event.code}/trades/NOPE", 404)
    html(client, f"/events/{done.event.code}/delegations/NOPE", 404)


def test_event_home_lists_trades_with_their_state(published, client):
    done, waiting, _ = published
    page = html(client, f"/events/{done.event.code}/")
    assert done.trade.name_zh in page and waiting.trade.name_zh in page
    assert f'/events/{done.event.code}/trades/{done.trade.code}"' in page
    assert f'/events/{done.event.code}/trades/{waiting.trade.code}"' not in page
    assert "赵六" not in page


def test_criterion_marks_only_when_the_event_allows(published, make_user, client):
    done, _, organizer = published
    url = f"/events/{done.event.code}/trades/{done.trade.code}"
    assert 'class="num crit"' not in html(client, url)
    results.set_criterion_marks_public(done.event, organizer, True)
    page = html(client, url)
    assert '<th class="num crit" title="实操">A</th>' in page
    assert re.search(r'<td class="num crit">\s*90\s*</td>', page)


def test_amended_results_are_marked_with_date_and_reason(published, client):
    done, _, organizer = published
    publishing.amend(done.trade, organizer, "Criterion B of 李四 re-checked")
    page = html(client, f"/events/{done.event.code}/trades/{done.trade.code}")
    assert 'class="amended"' in page and "Criterion B of 李四 re-checked" in page


def test_embargo_hides_every_public_page(published, client):
    done, _, organizer = published
    results.set_embargo(done.event, organizer, True)
    code = done.event.code
    pages = [html(client, f"/events/{code}/trades/{done.trade.code}", 404),
             html(client, f"/events/{code}/medals"),
             html(client, f"/events/{code}/delegations/{done.entrants[0].delegation.code}"),
             html(client, f"/events/{code}/")]
    for page in pages:
        assert not any(name in page for name in NAMES)
    assert 'class="bars"' not in pages[1]
    results.release(done.event, organizer)
    assert NAMES[0] in html(client, f"/events/{code}/trades/{done.trade.code}")


def test_medal_table_page_switches_order_and_draws_bars(published, client):
    done, _, _ = published
    code = done.event.code
    for order in ("gold", "total", "points"):
        page = html(client, f"/events/{code}/medals?order={order}")
        assert f'order={order}" aria-current="true"' in page
    page = html(client, f"/events/{code}/medals?order=bogus")
    assert 'order=gold" aria-current="true"' in page
    assert 'class="seg gold" style="width: 100.0%"' in page
    assert done.entrants[0].delegation.name_zh in page
    assert "技术能手" not in page


def test_delegation_page(published, client):
    done, waiting, _ = published
    delegation = done.entrants[0].delegation
    page = html(client, f"/events/{done.event.code}/delegations/{delegation.code}")
    assert NAMES[0] in page and "技术能手" in page
    assert NAMES[1] not in page
    assert_no_personal_data(page)
    other = waiting.entrants[0].delegation
    assert "赵六" not in html(client, f"/events/{done.event.code}/delegations/{other.code}")


def test_english_pages(published, client):
    done, _, _ = published
    client.post("/language", data={"lang": "en"})
    page = html(client, f"/events/{done.event.code}/trades/{done.trade.code}")
    assert "Gold" in page and "Technical Expert" in page
    assert "Test Competition" in page


def test_team_members_are_shown_without_personal_data(scored_trade, make_user, client):
    s = scored_trade([90, 80], entry_type=EntryType.PAIR)
    results.publish(s.trade, make_user(Role.ORGANIZER, s.event))
    page = html(client, f"/events/{s.event.code}/trades/{s.trade.code}")
    assert s.entrants[0].team_name in page
    assert all(m.name in page for m in s.entrants[0].members)
    assert_no_personal_data(page)


def test_verify_stub(client):
    page = html(client, "/verify/HN2026-0001-0001")
    assert "HN2026-0001-0001" in page


def test_board_page_has_no_inline_script(published, client):
    done, _, _ = published
    page = html(client, f"/events/{done.event.code}/board?refresh=10&cycle=6")
    assert f'data-url="/api/v1/events/{done.event.code}/board"' in page
    assert 'data-refresh="10"' in page and 'data-cycle="6"' in page
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)


def test_public_pages_are_cached_briefly_and_revalidated(published, client):
    done, _, organizer = published
    url = f"/events/{done.event.code}/trades/{done.trade.code}"
    first = client.get(url)
    # Issue 13: an anonymous visitor's copy is everyone's, so proxies may keep it (briefly).
    assert "max-age=15" in first.headers["Cache-Control"]
    assert "public" in first.headers["Cache-Control"] and "s-maxage=10" in first.headers[
        "Cache-Control"]
    assert "Set-Cookie" not in first.headers
    etag = first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    publishing.amend(done.trade, organizer, "Corrected")
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Corrected" in changed.get_data(as_text=True)


@pytest.mark.parametrize("size", [3, 30])
def test_public_pages_query_count_does_not_grow_with_the_field(scored_trade, make_user, client,
                                                               size):
    s = scored_trade(list(range(90, 90 - size, -1)))
    results.publish(s.trade, make_user(Role.ORGANIZER, s.event))
    results.results_changed(s.event)   # a cold cache
    db.session.commit()
    for url in (f"/events/{s.event.code}/trades/{s.trade.code}", f"/events/{s.event.code}/medals",
                f"/api/v1/events/{s.event.code}/trades/{s.trade.code}/results"):
        with count_queries() as queries:
            assert client.get(url).status_code == 200
        assert queries.count <= 8, (url, queries.count)


def test_the_start_page_lists_the_competitions_for_the_public(client, make_event):
    from datetime import date
    make_event(code="PUB1", name_zh="公开赛事", start_date=date(2026, 5, 1))
    html = client.get("/").get_data(as_text=True)
    assert "公开赛事" in html and "/events/PUB1/" in html


def test_an_event_that_awards_prizes_says_prizes_on_every_public_surface(scored_trade, make_user,
                                                                          make_event, client):
    """The event's award rule names prizes: the medal table page, a delegation's page, the live
    board and the medal-table JSON say 一等奖/二等奖/三等奖 (First/Second/Third prize), never
    gold, silver or bronze."""
    event = make_event(code="PZ2026", name_en="Prize Competition")
    event_rule(event, method="places", labels="prizes")
    scenario = scored_trade([90, 80, 70], event=event, names=NAMES)
    results.publish(scenario.trade, make_user(Role.ORGANIZER, event))
    client.post("/language", data={"lang": "en"})
    delegation = scenario.entrants[0].delegation.code
    for url in ("/events/PZ2026/medals", f"/events/PZ2026/delegations/{delegation}"):
        page = html(client, url)
        assert "First prize" in page and "Second prize" in page and "Third prize" in page, url
        assert not re.search(r"\b(Gold|Silver|Bronze)\b", page), url
    table = client.get("/api/v1/events/PZ2026/medal-table").get_json()
    assert table["labels"]["gold"] == "First prize" and table["award_names"] == "prizes"
    board = client.get("/api/v1/events/PZ2026/board").get_json()
    assert (board["labels"]["gold"], board["labels"]["silver"], board["labels"]["bronze"]) == \
        ("First prize", "Second prize", "Third prize")
    client.post("/language", data={"lang": "zh"})
    assert "一等奖" in html(client, "/events/PZ2026/medals")
    assert "金牌" not in html(client, "/events/PZ2026/medals")
