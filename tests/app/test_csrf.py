"""Every POST needs the form's CSRF token: without it nothing changes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from competition import create_app
from competition.extensions import db
from competition.models import Delegation, Role, User
from tests.app.support import PASSWORD, app_settings, csrf_token


@pytest.fixture(scope="module")
def csrf_app(database_url, app):
    """The app as deployed: CSRF on, on the same database as the test app."""
    protected = create_app(app_settings(database_url, WTF_CSRF_ENABLED=True))
    assert protected.config["WTF_CSRF_ENABLED"]
    yield protected
    with protected.app_context():
        db.engine.dispose()


@pytest.fixture
def browser(csrf_app):
    return csrf_app.test_client()


@pytest.fixture
def event(make_event):
    return make_event("HN2026")


def log_in(browser, user) -> None:
    token = csrf_token(browser.get("/auth/login"))
    response = browser.post("/auth/login", data={"username": user.username, "password": PASSWORD,
                                                 "csrf_token": token})
    assert response.status_code == 302


def delegations() -> list[str]:
    return list(db.session.scalars(sa.select(Delegation.code).order_by(Delegation.code)))


def test_login_without_token_refused(browser, organizer_account):
    response = browser.post("/auth/login", data={"username": organizer_account.username,
                                                 "password": PASSWORD})
    assert response.status_code == 400
    assert browser.get("/auth/password").status_code == 302  # still anonymous
    log_in(browser, organizer_account)
    assert browser.get("/auth/password").status_code == 200


@pytest.mark.parametrize("token", ["", "forged-token"])
def test_setup_form_without_valid_token_saves_nothing(browser, organizer_account, token):
    log_in(browser, organizer_account)
    url = "/manage/events/HN2026/delegations"
    data = {"code": "ZZ", "name_zh": "郑州市"}
    response = browser.post(url, data={**data, "csrf_token": token} if token else data)
    assert response.status_code == 400
    assert delegations() == []
    response = browser.post(url, data={**data, "csrf_token": csrf_token(browser.get(url))})
    assert response.status_code == 302
    assert delegations() == ["ZZ"]


def test_delete_without_token_deletes_nothing(browser, organizer_account, make_delegation):
    delegation = make_delegation(organizer_account.event, code="ZZ")
    log_in(browser, organizer_account)
    url = f"/manage/events/HN2026/delegations/{delegation.id}/delete"
    assert browser.post(url).status_code == 400
    assert delegations() == ["ZZ"]
    token = csrf_token(browser.get("/manage/events/HN2026/delegations"))
    assert browser.post(url, data={"csrf_token": token}).status_code == 302
    assert delegations() == []


def test_language_switch_without_token_changes_nothing(browser):
    assert 'lang="zh-CN"' in browser.get("/").get_data(as_text=True)
    assert browser.post("/language", data={"lang": "en"}).status_code == 400
    assert 'lang="zh-CN"' in browser.get("/").get_data(as_text=True)
    token = csrf_token(browser.get("/"))
    assert browser.post("/language", data={"lang": "en", "csrf_token": token}).status_code == 302
    assert '<html lang="en">' in browser.get("/").get_data(as_text=True)


def test_token_of_another_session_refused(csrf_app, browser, organizer_account):
    stranger = csrf_app.test_client()
    token = csrf_token(stranger.get("/auth/login"))
    response = browser.post("/auth/login", data={"username": organizer_account.username,
                                                 "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 400


def test_a_password_reset_without_token_resets_nothing(browser, organizer_account, make_user):
    judge = make_user(Role.JUDGE, organizer_account.event)
    before = judge.password_hash
    log_in(browser, organizer_account)
    url = f"/manage/events/HN2026/judges/{judge.id}/password"
    assert browser.post(url).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, judge.id).password_hash == before
    token = csrf_token(browser.get(f"/manage/events/HN2026/judges/{judge.id}/edit"))
    assert browser.post(url, data={"csrf_token": token}).status_code == 200


def test_the_id_number_search_needs_its_token(browser, organizer_account):
    log_in(browser, organizer_account)
    url = "/manage/events/HN2026/contestants/find"
    assert browser.post(url, data={"id_number": "410102199903150014"}).status_code == 400
    token = csrf_token(browser.get("/manage/events/HN2026/contestants"))
    assert browser.post(url, data={"id_number": "410102199903150014",
                                   "csrf_token": token}).status_code == 200
