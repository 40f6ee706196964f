"""Accounts nobody takes over untraced: a password made by someone else (an initial password, a
reset) must be changed by its holder before anything else; an organizer may reset judges'
passwords only, an administrator anyone's of the event; every reset, creation, change and
disabling is in the account log that supervisors read."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from competition.domain.accounts import AccountEventKind
from competition.extensions import db
from competition.models import AccountEvent, Role, User
from competition.services import accounts, demo, errors
from tests.app.support import (
    JUDGE_HEADERS,
    PASSWORD,
    client_for,
    fresh_client,
    page_text,
    post_file,
    workbook,
)

pytestmark = pytest.mark.language("en")

NEW_PASSWORD = "my own Passw0rd 2026"


def base(event) -> str:
    return f"/manage/events/{event.code}"


def shown_password(response, username: str) -> str:
    found = re.search(rf"<code>{re.escape(username)}</code></td><td><code>([^<]+)</code>",
                      response.get_data(as_text=True))
    assert found, response.get_data(as_text=True)[:2000]
    return found.group(1)


def log_in(app, username: str, password: str):
    """A new browser that logs in; (client, the login's answer)."""
    client = fresh_client(app)
    return client, client.post("/auth/login", data={"username": username, "password": password})


def change(client, current: str, new: str = NEW_PASSWORD, next_url: str = ""):
    url = "/auth/password" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"current": current, "new": new, "repeat": new})


def events_of(user: User) -> list[tuple[AccountEventKind, str]]:
    db.session.expire_all()
    return [(e.kind, e.actor_username) for e in db.session.scalars(
        sa.select(AccountEvent).where(AccountEvent.user_id == user.id).order_by(AccountEvent.id))]


# --- resets -------------------------------------------------------------------------------------

def test_an_organizers_reset_of_a_judge_is_recorded_and_must_be_changed(app, scene):
    organizer = client_for(app, scene.organizer)
    judge = scene.judges[2]
    response = organizer.post(f"{base(scene.event)}/judges/{judge.id}/password")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = shown_password(response, judge.username)
    assert events_of(judge) == [(AccountEventKind.PASSWORD_RESET, scene.organizer.username)]
    entry = db.session.scalar(sa.select(AccountEvent).where(AccountEvent.user_id == judge.id))
    assert entry.actor_id == scene.organizer.id and entry.event_id == scene.event.id
    assert entry.at is not None

    # whoever knows the reset password meets the change page first, on every page
    client, answer = log_in(app, judge.username, password)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/auth/password")
    for url in ("/judge/", f"/judge/trades/{scene.trade.id}/sheet", "/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/auth/password"), url
    assert client.post(f"/judge/trades/{scene.trade.id}/sheet", data={}).status_code == 302
    assert change(client, password, next_url="/judge/").headers["Location"] == "/judge/"
    assert client.get("/judge/").status_code == 200
    assert events_of(judge)[-1] == (AccountEventKind.PASSWORD_CHANGED, judge.username)


@pytest.mark.parametrize("whose", ["chief_judge", "supervisor", "organizer"])
def test_an_organizer_cannot_reset_a_chief_judge_a_supervisor_or_an_organizer(
        app, scene, make_user, whose):
    account = {"chief_judge": scene.chief, "supervisor": scene.supervisor,
               "organizer": make_user(Role.ORGANIZER, scene.event)}[whose]
    before = account.password_hash
    organizer = client_for(app, scene.organizer)
    assert organizer.post(f"{base(scene.event)}/judges/{account.id}/password").status_code == 403
    db.session.expire_all()
    assert db.session.get(User, account.id).password_hash == before
    assert events_of(account) == []
    assert log_in(app, account.username, PASSWORD)[1].status_code == 302
    edit = organizer.get(f"{base(scene.event)}/judges/{scene.chief.id}/edit")
    assert "Make a new password" not in page_text(edit)


@pytest.mark.parametrize("whose", ["chief_judge", "supervisor", "organizer"])
def test_an_administrator_resets_them_recorded(app, scene, make_user, whose):
    account = {"chief_judge": scene.chief, "supervisor": scene.supervisor,
               "organizer": make_user(Role.ORGANIZER, scene.event)}[whose]
    admin = make_user(Role.ADMINISTRATOR)
    response = client_for(app, admin).post(f"{base(scene.event)}/judges/{account.id}/password")
    assert response.status_code == 200
    password = shown_password(response, account.username)
    assert events_of(account) == [(AccountEventKind.PASSWORD_RESET, admin.username)]
    assert log_in(app, account.username, PASSWORD)[1].status_code == 401
    answer = log_in(app, account.username, password)[1]
    assert answer.headers["Location"].startswith("/auth/password")


def test_the_service_refuses_too(scene):
    with pytest.raises(errors.NotAllowed):
        accounts.reset_password(scene.organizer, scene.chief)
    with pytest.raises(errors.NotAllowed):
        accounts.reset_password(scene.chief, scene.judges[0])


def test_supervisors_read_the_account_log(app, scene, make_user, make_event):
    client_for(app, scene.organizer).post(f"{base(scene.event)}/judges/{scene.judges[0].id}/password")
    page = client_for(app, scene.supervisor).get(f"{base(scene.event)}/accounts")
    assert page.status_code == 200
    text = page_text(page)
    assert "New password made by someone else" in text
    assert scene.judges[0].username in text and scene.organizer.username in text
    assert page.get_data(as_text=True).count('method="post"') == 2  # language and log out
    assert "Account log" in page_text(client_for(app, scene.supervisor).get(
        f"{base(scene.event)}/judges"))
    # another event's supervisor sees nothing of it, nor do judges
    other = make_user(Role.SUPERVISOR, make_event())
    assert client_for(app, other).get(f"{base(scene.event)}/accounts").status_code == 403
    assert client_for(app, scene.judges[1]).get(f"{base(scene.event)}/accounts").status_code == 403


def test_disabling_and_enabling_are_recorded(app, scene):
    organizer = client_for(app, scene.organizer)
    url = f"{base(scene.event)}/judges/{scene.judges[1].id}/enabled"
    organizer.post(url, data={"enabled": "0"})
    organizer.post(url, data={"enabled": "1"})
    assert events_of(scene.judges[1]) == [(AccountEventKind.DISABLED, scene.organizer.username),
                                          (AccountEventKind.ENABLED, scene.organizer.username)]


# --- initial passwords ---------------------------------------------------------------------------

def test_a_judge_made_by_form_changes_the_password_first_and_the_pages_keep_working(
        app, scene):
    organizer = client_for(app, scene.organizer)
    response = organizer.post(f"{base(scene.event)}/judges/new", data={
        "name": "新裁判", "username": "Xin.Caipan", "role": "judge", "delegation_id": "0",
        "trade_ids": [str(scene.trade.id)]})
    assert response.status_code == 200
    password = shown_password(response, "xin.caipan")  # stored case-folded
    judge = db.session.scalar(sa.select(User).where(User.username == "xin.caipan"))
    assert judge.must_change_password
    assert events_of(judge) == [(AccountEventKind.CREATED, scene.organizer.username)]

    client, answer = log_in(app, "XIN.CAIPAN", password)
    assert answer.headers["Location"].startswith("/auth/password")
    page = client.get(answer.headers["Location"])
    assert "Choose your own before you go on" in page_text(page)
    refused = change(client, password, password)
    assert "Choose a password other than the current one." in page_text(refused)
    assert change(client, password).status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, judge.id).must_change_password

    # the judge's pages work in the same session after the change
    assert client.get("/judge/").status_code == 200
    sheet = client.get(f"/judge/trades/{scene.trade.id}/sheet")
    assert sheet.status_code == 200
    html = sheet.get_data(as_text=True)
    first = re.search(r'name="m-([^"]+)"', html).group(1)
    saved = client.post(f"/judge/trades/{scene.trade.id}/sheet",
                        data={f"m-{first}": "5", f"v-{first}": "", f"o-{first}": ""})
    assert saved.status_code == 302, page_text(saved)[:500]
    # and the new password opens them next time, on the judge's own trades
    assert log_in(app, "xin.caipan", NEW_PASSWORD)[1].headers["Location"] == "/judge/"


def test_an_organizer_made_by_an_administrator_changes_the_password_first(app, scene,
                                                                          make_user):
    admin = client_for(app, make_user(Role.ADMINISTRATOR))
    response = admin.post(f"{base(scene.event)}/organizers",
                          data={"name": "王老师", "username": "wang"})
    password = shown_password(response, "wang")
    client, answer = log_in(app, "wang", password)
    assert answer.headers["Location"].startswith("/auth/password")
    assert client.get(f"{base(scene.event)}/").headers["Location"].startswith("/auth/password")
    change(client, password)
    assert client.get(f"{base(scene.event)}/").status_code == 200


def test_judges_imported_from_excel_change_the_password_first(app, scene):
    organizer = client_for(app, scene.organizer)
    data = workbook(("裁判", [JUDGE_HEADERS, ["张伟", "zhangwei2", "", "", "裁判员"]]))
    response = post_file(organizer, f"{base(scene.event)}/import/judges", data)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    password = shown_password(response, "zhangwei2")
    answer = log_in(app, "zhangwei2", password)[1]
    assert answer.headers["Location"].startswith("/auth/password")


def test_an_account_made_on_the_command_line_changes_the_password_first(app, runner, scene):
    result = runner.invoke(args=["create-user", "LiMing", "--event", scene.event.code])
    assert result.exit_code == 0, result.output
    assert "must be changed at the first login" in result.output
    password = re.search(r"Password \(shown once\): (\S+)", result.output).group(1)
    client, answer = log_in(app, "liming", password)
    assert answer.headers["Location"].startswith("/auth/password")
    assert events_of(db.session.scalar(sa.select(User).where(User.username == "liming"))) == \
        [(AccountEventKind.CREATED, "")]


def test_reset_password_on_the_command_line(app, runner, scene):
    result = runner.invoke(args=["reset-password", scene.chief.username.upper()])
    assert result.exit_code == 0, result.output
    password = re.search(r"\(shown once\): (\S+)", result.output).group(1)
    assert log_in(app, scene.chief.username, password)[1].headers["Location"] \
        .startswith("/auth/password")
    assert events_of(scene.chief) == [(AccountEventKind.PASSWORD_RESET, "")]
    assert runner.invoke(args=["reset-password", "nobody"]).exit_code != 0


def test_the_demos_accounts_are_not_asked_to_change_their_printed_passwords(app):
    """The demo's passwords are printed for trying the product: its accounts are written by
    the demo itself, never as initial passwords."""
    logins = demo.build("small")
    username = next(name for name in logins if name.endswith("-organizer"))
    answer = log_in(app, username, logins[username])[1]
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


def test_public_pages_stay_open_while_a_change_is_due(app, scene):
    scene.judges[0].must_change_password = True
    db.session.commit()
    client = client_for(app, scene.judges[0])
    assert client.get(f"/events/{scene.event.code}/").status_code in (200, 404)
    assert client.post("/language", data={"lang": "zh"}).status_code == 302
    assert client.post("/auth/logout").status_code == 302
