"""Logging in and out, changing one's password, and accounts made on the command line."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Role, User
from tests.app.support import PASSWORD, form_errors, fresh_client

pytestmark = pytest.mark.language("en")


def post_login(client, username: str, password: str, next_url: str | None = None):
    url = "/auth/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"username": username, "password": password})


def logged_in(client) -> bool:
    """Whether the client's session opens a page that needs a login."""
    return client.get("/auth/password").status_code == 200


def test_login_with_the_right_password(client, make_event, make_user):
    user = make_user(Role.ORGANIZER, make_event())
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert logged_in(client)
    db.session.refresh(user)
    assert user.last_login_at is not None


def test_username_is_not_case_sensitive(client, make_event, make_user):
    make_user(Role.ORGANIZER, make_event(), username="ZhangWei")
    assert post_login(client, "zhangwei", PASSWORD).status_code == 302


@pytest.mark.parametrize("case", ["bad password", "unknown user", "disabled account"])
def test_login_refused(client, make_event, make_user, case):
    user = make_user(Role.JUDGE, make_event(), is_enabled=case != "disabled account")
    username = "nobody" if case == "unknown user" else user.username
    password = "wrong password!" if case == "bad password" else PASSWORD
    response = post_login(client, username, password)
    assert response.status_code == 401
    assert "Wrong username or password." in form_errors(response)
    assert not logged_in(client)


def test_login_form_needs_both_fields(client):
    response = client.post("/auth/login", data={"username": "", "password": ""})
    assert response.status_code == 200
    assert len(form_errors(response)) == 2
    assert not logged_in(client)


def test_logout_is_post_only(client, make_event, make_user, login):
    login(make_user(Role.ORGANIZER, make_event()))
    assert client.get("/auth/logout").status_code == 405
    assert logged_in(client)
    assert client.post("/auth/logout").status_code == 302
    assert not logged_in(client)


@pytest.mark.parametrize("target, expected", [
    ("//evil.com", "/"), ("https://evil.com", "/"), ("https://evil.com/manage", "/"),
    ("/%5Cevil.com", "/"), ("/%09/evil.com", "/"), ("javascript:alert(1)", "/"),
    ("/manage/events", "/manage/events"), ("/manage/events?page=2", "/manage/events?page=2"),
], ids=["protocol-relative", "absolute", "absolute-path", "backslash", "tab", "javascript",
        "own-page", "own-page-query"])
def test_next_stays_on_this_site(client, make_event, make_user, target, expected):
    user = make_user(Role.ORGANIZER, make_event())
    response = client.post("/auth/login", query_string={"next": unquote(target)},
                           data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def change_password(client, current: str, new: str, repeat: str | None = None):
    return client.post("/auth/password", data={"current": current, "new": new,
                                               "repeat": new if repeat is None else repeat})


@pytest.mark.parametrize("current, new, repeat, message", [
    ("wrong one!!", "a fresh Passw0rd", None, "The current password is wrong."),
    (PASSWORD, "short", None, "Field must be between 10 and 200 characters long."),
    (PASSWORD, "1234567890", None, "This password is too easy to guess."),
    (PASSWORD, "aaaaaaaaaaaa", None, "This password is too easy to guess."),
    (PASSWORD, "a fresh Passw0rd", "another one!!", "The passwords differ."),
])
def test_password_change_refused(client, make_event, make_user, login, current, new, repeat,
                                 message):
    user = make_user(Role.ORGANIZER, make_event())
    login(user)
    response = change_password(client, current, new, repeat)
    assert response.status_code == 200
    assert message in form_errors(response)
    client.post("/auth/logout")
    assert post_login(client, user.username, PASSWORD).status_code == 302


def test_password_containing_the_username_refused(client, make_event, make_user, login):
    user = make_user(Role.ORGANIZER, make_event(), username="liming")
    login(user)
    response = change_password(client, PASSWORD, "liming-2026-ok")
    assert "This password is too easy to guess." in form_errors(response)


def test_password_change_ends_other_sessions(app, client, make_event, make_user, login):
    user = make_user(Role.ORGANIZER, make_event())
    other = fresh_client(app)
    assert post_login(other, user.username, PASSWORD).status_code == 302
    login(user)
    response = change_password(client, PASSWORD, "a fresh Passw0rd")
    assert response.status_code == 302
    assert logged_in(client), "the session that changed the password stays"
    assert not logged_in(other), "a session opened before the change ends"
    client.post("/auth/logout")
    assert post_login(client, user.username, PASSWORD).status_code == 401
    assert post_login(client, user.username, "a fresh Passw0rd").status_code == 302


def test_disabled_account_loses_its_session(client, make_event, make_user, login):
    user = make_user(Role.ORGANIZER, make_event())
    login(user)
    assert logged_in(client)
    user.is_enabled = False
    db.session.commit()
    response = client.get("/auth/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")


def test_password_page_needs_login(client):
    response = client.get("/auth/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


# --- create-user on the command line ---------------------------------------------------------

def printed_password(output: str) -> str:
    found = re.search(r"Password \(shown once\): (\S+)", output)
    assert found, output
    return found.group(1)


def test_create_user_prints_a_password_that_works(runner, client, make_event):
    event = make_event("HN2026")
    result = runner.invoke(args=["create-user", "organizer1", "--event", "HN2026",
                                 "--name", "赛务组"])
    assert result.exit_code == 0, result.output
    password = printed_password(result.output)
    assert result.output.count(password) == 1
    user = db.session.scalar(sa.select(User).where(User.username == "organizer1"))
    assert (user.role, user.event_id, user.name) == (Role.ORGANIZER, event.id, "赛务组")
    assert password not in user.password_hash
    assert post_login(client, "organizer1", password).status_code == 302


def test_create_administrator_without_event(runner, client):
    result = runner.invoke(args=["create-user", "root", "--role", "administrator"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User).where(User.username == "root"))
    assert user.role == Role.ADMINISTRATOR and user.event_id is None
    assert post_login(client, "root", printed_password(result.output)).status_code == 302


def test_create_user_with_a_chosen_password(runner, client, make_event):
    make_event("HN2026")
    result = runner.invoke(args=["create-user", "lead", "--event", "HN2026", "--password"],
                           input="a chosen Passw0rd\na chosen Passw0rd\n")
    assert result.exit_code == 0, result.output
    assert "shown once" not in result.output
    assert post_login(client, "lead", "a chosen Passw0rd").status_code == 302


@pytest.mark.parametrize("args, message", [
    (["create-user", "org", "--role", "organizer"], "--event"),
    (["create-user", "org", "--role", "judge"], "--event"),
    (["create-user", "org", "--event", "NOPE"], "No event with code NOPE"),
])
def test_create_user_refused(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_create_user_refuses_a_taken_username(runner, make_event, make_user):
    event = make_event("HN2026")
    make_user(Role.JUDGE, event, username="zhangwei")
    result = runner.invoke(args=["create-user", "ZhangWei", "--event", "HN2026"])
    assert result.exit_code != 0
    assert "taken" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_create_user_refuses_a_weak_chosen_password(runner, make_event):
    make_event("HN2026")
    result = runner.invoke(args=["create-user", "lead", "--event", "HN2026", "--password"],
                           input="12345678\n12345678\n")
    assert result.exit_code != 0
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_a_copied_session_cookie_stops_working_after_logout(app, make_event, make_user, login, client):
    """Logging out ends the session on the server side too: a copy of the cookie is useless."""
    login(make_user(Role.ORGANIZER, make_event()))
    cookie = client.get_cookie("session")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/manage/events").status_code in (200, 302)
    assert logged_in(thief)
    client.post("/auth/logout")
    assert not logged_in(thief)
