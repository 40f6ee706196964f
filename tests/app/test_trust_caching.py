"""Issue 13, findings 11 (the ETag) and 12: public pages and the public API set no cookie for an
anonymous visitor and may be kept by shared caches; their validators reveal no internal counter;
static files are linked by version and kept for a year; public payloads are cached in Redis when
it is configured, keyed by the results version."""

from __future__ import annotations

import logging
import os
import re
import time

import pytest
import redis

from competition import create_app
from competition.extensions import db
from competition.services import publishing, results
from competition.web import caching
from tests.app.support import app_settings, client_for, count_queries, csrf_token

REDIS_URL = "redis://127.0.0.1:6379/1"


@pytest.fixture
def published(competition):
    """The small competition (welding and pairs published) with its public URLs."""
    code = competition.event.code
    pages = [f"/events/{code}/", f"/events/{code}/trades/T01", f"/events/{code}/medals",
             f"/events/{code}/delegations/ZZ", f"/events/{code}/board"]
    api = [f"/api/v1/events/{code}/medal-table", f"/api/v1/events/{code}/trades/T01/results",
           f"/api/v1/events/{code}/board"]
    return competition, pages, api


def test_public_pages_and_the_api_set_no_cookie_for_an_anonymous_visitor(published, client):
    """The issue: every response carried ``Set-Cookie: session=…`` (a session made permanent
    before every request) and public pages were ``private``: no proxy stored them."""
    _competition, pages, api = published
    for url in [*pages, *api, "/verify/HN2026-0001-0001-00000", "/verify"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        control = response.headers["Cache-Control"]
        if url.startswith("/verify"):
            assert "no-store" in control
        else:
            assert "public" in control and "s-maxage=" in control and "private" not in control, \
                (url, control)
            assert response.headers["ETag"]
    css = client.get(re.search(r'href="(/static/css/app\.css\?v=\w+)"',
                               client.get(pages[0]).get_data(as_text=True))[1])
    css.close()
    assert "Set-Cookie" not in css.headers
    for missing in ("/events/NOPE/", "/events/HN2026/trades/NOPE", "/api/v1/events/NOPE/board"):
        response = client.get(missing)
        assert response.status_code == 404 and "Set-Cookie" not in response.headers, missing
    # nothing was stored for the visitor either
    assert not client.get_cookie("session")


def test_a_visitor_with_a_session_gets_private_copies(published, app):
    competition, pages, api = published
    for client in (client_for(app, competition.organizer),   # logged in
                   client_for(app, None, lang="en")):        # chose a language
        for url in (pages[2], api[0]):
            response = client.get(url)
            control = response.headers["Cache-Control"]
            assert "private" in control and "public" not in control and "s-maxage" not in control


def test_a_public_page_carries_no_form_token_and_the_language_switch_still_works(published, app,
                                                                                  monkeypatch):
    """A shared copy must not hold one visitor's CSRF token: the page has an empty one, and its
    script asks /form-token for the visitor's own when the switch is used."""
    _competition, pages, _api = published
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client = app.test_client()
    html = client.get(pages[1]).get_data(as_text=True)
    assert 'name="csrf_token" value=""' in html
    assert re.search(r'<script src="/static/js/public\.js\?v=\w+" data-token-url="/form-token"',
                     html)
    assert client.post("/language", data={"lang": "en", "csrf_token": ""}).status_code == 400
    answer = client.get("/form-token")
    assert "no-store" in answer.headers["Cache-Control"] and "Set-Cookie" in answer.headers
    token = answer.get_json()["csrf_token"]
    assert client.post("/language", data={"lang": "en", "csrf_token": token,
                                          "next": pages[1]}).status_code == 302
    english = client.get(pages[1])
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert "private" in english.headers["Cache-Control"]
    assert csrf_token(english)  # a visitor with a session gets a real token


def test_the_page_etag_reveals_no_counter(published, app, monkeypatch, database_url):
    """The issue: the tag was a plain hash of the results version and the URL, so counting
    through versions told how many publications happened under embargo. Now it is keyed with
    the secret, and does not move at all while the event is under embargo."""
    competition, pages, _api = published
    monkeypatch.setattr(caching.time, "time", lambda: 1_800_000_000.0)   # one minute throughout
    client = app.test_client()
    results.set_embargo(competition.event, competition.organizer, True)
    embargoed = client.get(pages[2]).headers["ETag"]
    publishing.publish(competition.cooking.trade, competition.organizer)
    publishing.amend(competition.welding.trade, competition.organizer, "复核")
    again = client.get(pages[2], headers={"If-None-Match": embargoed})
    assert again.status_code == 304 and again.headers["ETag"] == embargoed
    results.release(competition.event, competition.organizer)
    released = client.get(pages[2]).headers["ETag"]
    assert released != embargoed
    other = create_app(app_settings(database_url, SECRET_KEY="another-secret-key-of-32-bytes!!"))
    try:
        with other.app_context():
            assert other.test_client().get(pages[2]).headers["ETag"] != released
    finally:
        with other.app_context():
            db.engine.dispose()


def test_validators_answer_304_from_the_api_and_the_pages(published, client):
    _competition, pages, api = published
    for url in (pages[1], api[0], api[1]):
        first = client.get(url)
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and not again.data, url
        assert "Set-Cookie" not in again.headers


def static(client, url: str) -> str:
    """The Cache-Control of a static file (the response closed: it holds the file open)."""
    response = client.get(url)
    response.close()
    assert response.status_code == 200, url
    return response.headers["Cache-Control"]


def test_static_files_are_linked_by_version_and_kept_for_a_year(app, client, tmp_path,
                                                                 monkeypatch):
    html = client.get("/verify").get_data(as_text=True)
    url = re.search(r'href="(/static/css/app\.css\?v=(\w+))"', html)
    control = static(client, url[1])
    assert "max-age=31536000" in control and "immutable" in control and "public" in control
    assert "no-cache" not in control  # a versioned file is never revalidated
    assert "no-cache" in static(client, "/static/css/app.css")
    assert "immutable" not in static(client, "/static/css/app.css?v=0123456789ab")
    # a new release (the file changed) links a new URL
    folder = tmp_path / "static"
    (folder / "css").mkdir(parents=True)
    (folder / "css" / "app.css").write_text("body { color: red }")
    monkeypatch.setattr(app, "static_folder", str(folder))
    with app.test_request_context():
        from flask import url_for
        first = url_for("static", filename="css/app.css")
        (folder / "css" / "app.css").write_text("body { color: blue }")
        os.utime(folder / "css" / "app.css", ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
        assert url_for("static", filename="css/app.css") != first


# --- the shared cache in Redis -------------------------------------------------------------

def redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def redis_apps(database_url):
    """Two apps (as two hosts would run them) on the test database and Redis database 1."""
    if not redis_up():
        pytest.skip("no Redis at 127.0.0.1:6379 (CI starts one)")
    apps = [create_app(app_settings(database_url, REDIS_URL=REDIS_URL, WTF_CSRF_ENABLED=False))
            for _ in range(2)]
    yield apps
    for each in apps:
        with each.app_context():
            db.engine.dispose()


def redis_entries() -> list[bytes]:
    return list(redis.Redis.from_url(REDIS_URL).scan_iter("competition:results:*"))


def test_public_payloads_are_shared_through_redis(published, redis_apps):
    """What one host built, the other serves from Redis without reading the published version
    from the database again."""
    _competition, _pages, api = published
    first, second = redis_apps
    with first.app_context(), count_queries() as cold:
        shown = first.test_client().get(api[1]).get_json()
    assert redis_entries()
    with second.app_context(), count_queries() as warm:
        assert second.test_client().get(api[1]).get_json() == shown
    assert warm.count < cold.count


def test_a_tampered_entry_is_ignored(published, redis_apps):
    _competition, _pages, api = published
    first, second = redis_apps
    with first.app_context():
        shown = first.test_client().get(api[1]).get_json()
    store = redis.Redis.from_url(REDIS_URL)
    for key in redis_entries():
        store.set(key, b"x" * 40, ex=60)
    with second.app_context():
        assert second.test_client().get(api[1]).get_json() == shown


def test_redis_down_still_serves_public_pages(published, database_url, caplog):
    competition, pages, api = published
    down = create_app(app_settings(database_url, REDIS_URL="redis://127.0.0.1:1/0"))
    try:
        with down.app_context(), caplog.at_level(logging.WARNING, "competition.cache"):
            client = down.test_client()
            for url in (pages[1], pages[2], api[0], api[1]):
                assert client.get(url).status_code == 200, url
        assert any("Redis cache unavailable" in r.getMessage() for r in caplog.records)
    finally:
        with down.app_context():
            db.engine.dispose()


def test_the_results_version_keys_the_cache(published, redis_apps):
    """An amendment moves the version on in its transaction: both hosts answer the amended
    results at once, whatever they had cached."""
    competition, _pages, api = published
    for each in redis_apps:
        with each.app_context():
            assert each.test_client().get(api[1]).get_json()["version"] == 1
    publishing.amend(competition.welding.trade, competition.organizer, "更正")
    for each in reversed(redis_apps):
        with each.app_context():
            assert each.test_client().get(api[1]).get_json()["version"] == 2
