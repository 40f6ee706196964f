"""Security settings: headers on every response, login rate limits, session cookie flags.

The limits are counted in the shared store (``services.throttle``); ``test_logins*.py`` holds
their full rules, across stores and processes."""

import pytest

from competition import create_app
from competition.extensions import db
from competition.models import Role
from tests.app.support import app_settings


@pytest.fixture
def limited_app(database_url):
    app = create_app(app_settings(database_url, WTF_CSRF_ENABLED=False, LOGIN_LIMITS=True,
                                  LOGIN_FREE_FAILURES=3, LOGIN_FIRST_WAIT=300,
                                  LOGIN_ADDRESS_FAILURES=5))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_every_page_sends_security_headers(client):
    response = client.get("/auth/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: no HSTS


def test_hsts_only_over_https(client):
    response = client.get("/auth/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_session_cookie_is_httponly_and_samesite(client, make_user, make_event):
    user = make_user(Role.ORGANIZER, make_event())
    response = client.post("/auth/login", data={"username": user.username,
                                                "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_failed_logins_to_one_account_are_limited(limited_app, make_user, make_event):
    user = make_user(Role.ORGANIZER, make_event())
    client = limited_app.test_client()
    for _ in range(3):
        assert client.post("/auth/login", data={"username": user.username,
                                                "password": "wrong"}).status_code == 401
    blocked = client.post("/auth/login", data={"username": user.username,
                                               "password": "correct horse battery"})
    assert blocked.status_code == 429
    # another account from the same address is still allowed
    other = make_user(Role.ORGANIZER, user.event)
    assert client.post("/auth/login", data={"username": other.username,
                                            "password": "correct horse battery"}).status_code == 302


def test_successful_logins_are_not_counted(limited_app, make_user, make_event):
    user = make_user(Role.ORGANIZER, make_event())
    client = limited_app.test_client()
    for _ in range(8):
        response = client.post("/auth/login", data={"username": user.username,
                                                    "password": "correct horse battery"})
        assert response.status_code == 302


def test_failed_logins_from_one_address_are_limited(limited_app, make_user, make_event):
    """Issue 13 changed this: an address past its failures is no longer refused as a whole
    (a venue's judges share it); each account tried from there waits after its first failure."""
    event = make_event()
    users = [make_user(Role.JUDGE, event) for _ in range(8)]
    client = limited_app.test_client()
    codes = [client.post("/auth/login", data={"username": u.username, "password": "nope"}).status_code
             for u in users[:7]]
    assert codes == [401] * 7
    assert client.post("/auth/login", data={"username": users[6].username,
                                            "password": "correct horse battery"}).status_code == 429
    assert client.post("/auth/login", data={"username": users[7].username,
                                            "password": "correct horse battery"}).status_code == 302
