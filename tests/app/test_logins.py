"""Login throttling in the shared counter store (the database, or Redis when configured): five
free attempts per account, then a growing wait that the page states; a venue's address is never
locked out; a configured store that is down refuses logins instead of letting them through; logs
name failed usernames masked. The same across worker processes: ``test_logins_processes.py``."""

from __future__ import annotations

import logging
import random
import time
import uuid

import pytest

from competition import create_app
from competition.extensions import db
from competition.models import Role
from competition.services import throttle
from tests.app.support import PASSWORD, app_settings, flashes, page_text

pytestmark = pytest.mark.language("en")

REDIS_URL = "redis://127.0.0.1:6379/2"
DOWN_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there


def fresh_address() -> str:
    """An address no earlier test (nor an earlier run, whose counts may still be in Redis)
    used."""
    return "10." + ".".join(str(random.randrange(1, 255)) for _ in range(3))


def fresh_name() -> str:
    return f"u-{uuid.uuid4().hex[:12]}"


def limited(database_url: str, **settings):
    return create_app(app_settings(database_url, WTF_CSRF_ENABLED=False, LOGIN_LIMITS=True,
                                   **settings))


@pytest.fixture(params=["database", "redis"])
def store_settings(request) -> dict:
    """The two stores the counts may live in (Redis database 2 is this suite's; its keys are
    made of fresh names and addresses, and lapse)."""
    return {"REDIS_URL": "" if request.param == "database" else REDIS_URL}


@pytest.fixture
def judge(make_event, make_user):
    """``judge()``: a new judge of one event, with a username no other test used."""
    event = make_event()
    return lambda: make_user(Role.JUDGE, event, username=fresh_name())


@pytest.fixture
def make_limited(database_url, store_settings):
    """``make_limited(**settings)``: an app with login limits on, counting in the store of the
    test's parameter."""
    made = []

    def make(**settings):
        made.append(limited(database_url, **{**store_settings, **settings}))
        return made[-1]
    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def limited_app(make_limited):
    return make_limited()


def browser(app, address: str | None = None):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address or fresh_address()
    client.post("/language", data={"lang": "en"})
    return client


def attempt(client, username: str, password: str):
    return client.post("/auth/login", data={"username": username, "password": password})


def test_five_failures_then_a_growing_wait_that_the_page_states(limited_app, judge):
    user = judge()
    client = browser(limited_app)
    assert [attempt(client, user.username, "wrong guess").status_code for _ in range(5)] == \
        [401] * 5
    refused = attempt(client, user.username, PASSWORD)  # the right one, but too soon
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert "Too many failed attempts for this account. Try again in 1 second." in flashes(refused)
    time.sleep(1.1)
    assert attempt(client, user.username, "sixth guess").status_code == 401
    second = attempt(client, user.username, PASSWORD)
    assert second.status_code == 429
    assert "Try again in 2 seconds." in page_text(second)
    time.sleep(2.1)
    assert attempt(client, user.username, PASSWORD).status_code == 302
    # a successful login starts the count again
    other = browser(limited_app)
    assert [attempt(other, user.username, "wrong again").status_code for _ in range(4)] == \
        [401] * 4


def test_long_waits_are_said_in_minutes(make_limited, judge):
    app = make_limited(LOGIN_FREE_FAILURES=2, LOGIN_FIRST_WAIT=300)
    user = judge()
    client = browser(app)
    assert [attempt(client, user.username, "wrong").status_code for _ in range(2)] == [401, 401]
    refused = attempt(client, user.username, PASSWORD)
    assert refused.status_code == 429
    assert "Try again in 5 minutes." in page_text(refused)
    assert 290 <= int(refused.headers["Retry-After"]) <= 300


def test_300_judges_behind_one_address_all_get_in(make_limited, judge):
    """A venue's judges share one address, and one client there has already failed often
    enough to make the address suspect. Every judge who types the right password still gets
    in, one after the other as fast as the app answers (the address stays suspect throughout:
    its window is an hour here, so the test holds however slow the machine)."""
    app = make_limited(LOGIN_ADDRESS_WINDOW=3600)
    judges = [judge() for _ in range(300)]
    venue_address = fresh_address()
    guesser = browser(app, venue_address)
    for _ in range(40):
        assert attempt(guesser, fresh_name(), "guess").status_code == 401
    venue = browser(app, venue_address)
    answers = []
    for one in judges:
        answers.append(attempt(venue, one.username, PASSWORD).status_code)
        venue.post("/auth/logout")
    assert answers == [302] * 300
    with app.app_context():
        assert throttle.store().value(f"login:address:{venue_address}") == 40  # still suspect


def test_one_clients_failures_do_not_block_other_accounts_behind_its_address(make_limited,
                                                                             judge):
    app = make_limited(LOGIN_FIRST_WAIT=60)
    target, *judges = [judge() for _ in range(11)]
    venue_address = fresh_address()
    guesser = browser(app, venue_address)
    codes = [attempt(guesser, target.username, f"guess {n}").status_code for n in range(50)]
    codes += [attempt(guesser, fresh_name(), "guess").status_code for _ in range(50)]
    assert 429 in codes and 500 not in codes
    for one in judges:
        assert attempt(browser(app, venue_address), one.username, PASSWORD).status_code == 302, \
            one.username
    # the account under attack waits, whoever asks, even with its right password
    assert attempt(browser(app), target.username, PASSWORD).status_code == 429


def test_from_a_suspect_address_every_failure_makes_its_account_wait(make_limited, judge):
    app = make_limited(LOGIN_ADDRESS_FAILURES=3, LOGIN_FIRST_WAIT=60)
    users = [judge() for _ in range(6)]
    client = browser(app)
    assert [attempt(client, u.username, "nope").status_code for u in users[:4]] == [401] * 4
    # the address is suspect now: one failure and that account waits
    assert attempt(client, users[4].username, "nope").status_code == 401
    assert attempt(client, users[4].username, PASSWORD).status_code == 429
    # from elsewhere the accounts with fewer than five failures are not held up
    assert attempt(browser(app), users[0].username, PASSWORD).status_code == 302
    # and an account that types its password right from the suspect address gets in
    assert attempt(client, users[5].username, PASSWORD).status_code == 302


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_configured_redis_that_is_down_refuses_logins(database_url, make_event, make_user, lang):
    app = limited(database_url, REDIS_URL=DOWN_REDIS_URL)
    user = make_user(Role.ORGANIZER, make_event())
    client = app.test_client()
    client.post("/language", data={"lang": lang})
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert client.get("/auth/password").status_code == 302  # not logged in
    if lang == "en":
        assert any("the service that counts login attempts cannot be reached" in f
                   for f in flashes(response))
    else:
        assert 'lang="zh-CN"' in response.get_data(as_text=True) and flashes(response)


def test_failed_logins_log_a_masked_username(limited_app, make_event, make_user, caplog):
    user = make_user(Role.JUDGE, make_event(), username=f"zhangwei-{uuid.uuid4().hex[:6]}n")
    client = browser(limited_app)
    with caplog.at_level(logging.INFO):
        attempt(client, "MySecretPassw0rd", "whatever")  # a password typed as the username
        # (in Redis the keys of these lapse within a day: they are digests, not names)
        attempt(client, user.username, "wrong")
        attempt(client, "13912345678", "whatever")
    text = caplog.text
    assert "M***d" not in text and "m***d" in text
    assert "MySecretPassw0rd".lower() not in text.lower()
    assert user.username not in text and "z***n" in text
    assert "13912345678" not in text


@pytest.mark.parametrize("stored, typed", [
    ("ÇAĞLA", "ÇAĞLA"), ("ÇAĞLA", "çağla"), ("Straße", "STRASSE"), ("ZhangWei", "ＺＨＡＮＧＷＥＩ"),
])
def test_usernames_with_any_capitals_log_in(client, make_event, make_user, stored, typed):
    """SQLite's lower() folds ASCII letters only: the old lookup missed ÇAĞLA typed as such."""
    make_user(Role.ORGANIZER, make_event(), username=stored)
    assert attempt(client, typed, PASSWORD).status_code == 302
