"""The judge's sheet on a tablet (820×1180, in Chinese) when the network or the server says no:
marks typed offline survive a reload (service worker + local drafts) and reach the server with
one audit row each once the network is back; a mark the server refuses stays unsaved beside its
reason; two pages on the same cell end in a choice, never a silent overwrite."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
import sqlalchemy as sa

TABLET = {"width": 820, "height": 1180}
PASSWORD = "Judge-offline-2026!"
_n = itertools.count(1)


@pytest.fixture
def world(live_server):
    """An open trade of three aspects, four entrants, a judge (of no delegation) and a chief."""
    from competition.extensions import db
    from competition.models import (
        Aspect,
        Criterion,
        Delegation,
        Entrant,
        Event,
        JudgeAssignment,
        Position,
        Role,
        Trade,
        TradeStatus,
        User,
    )
    from competition.services.accounts import hash_password

    n = next(_n)
    with live_server.context():
        event = Event(code=f"OFF{n}", name_zh=f"离线大赛{n}")
        delegation = Delegation(event=event, code=f"OD{n}", name_zh=f"代表团{n}")
        trade = Trade(event=event, code=f"OT{n}", name_zh=f"离线赛项{n}", entry_type="individual",
                      team_size=1, status=TradeStatus.OPEN)
        criterion = Criterion(code="A", name_zh="实操", position=0)
        for i, (top, kind, decimals) in enumerate(((10, "measurement", 1), (20, "panel", 2),
                                                   (3, "judgement", 0))):
            criterion.aspects.append(Aspect(code=f"A{i + 1}", description_zh=f"要素说明{i + 1}",
                                            kind=kind, max_mark=Decimal(top), position=i,
                                            decimals=decimals))
        trade.criteria.append(criterion)
        for i in range(4):
            db.session.add(Entrant(trade=trade, delegation=delegation, draw_number=i + 1))
        judge = User(username=f"off-judge{n}", name=f"裁判{n}", role=Role.JUDGE, event=event,
                     password_hash=hash_password(PASSWORD))
        judge.assignments.append(JudgeAssignment(trade=trade, position=Position.JUDGE))
        chief = User(username=f"off-chief{n}", name=f"裁判长{n}", role=Role.CHIEF_JUDGE,
                     event=event, password_hash=hash_password(PASSWORD))
        chief.assignments.append(JudgeAssignment(trade=trade, position=Position.CHIEF))
        db.session.add_all([event, judge, chief])
        db.session.commit()
        return {"trade": trade.id, "judge": judge.id, "chief": chief.id,
                "username": judge.username}


def wait_until(page, expression: str, seconds: float = 15) -> None:
    """Poll ``expression`` (page.wait_for_function evaluates a string, which the CSP forbids)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def open_sheet(new_page, world):
    page = new_page("zh-CN")
    page.set_viewport_size(TABLET)
    page.goto("/auth/login")
    page.fill("#username", world["username"])
    page.fill("#password", PASSWORD)
    page.press("#password", "Enter")
    page.wait_for_url("**/judge/")
    page.goto(f"/judge/trades/{world['trade']}/sheet")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(page, "document.documentElement.dataset.sheetCached >= 1")
    return page


def cells(page):
    return page.locator("#sheet input.mark")


def type_row(page, values):
    for value in values:
        page.keyboard.type(value)
        page.keyboard.press("Tab")


def marks_and_audit(live_server, world):
    from competition.extensions import db
    from competition.models import AuditEntry, Score
    with live_server.context():
        marks = {(e, a): v for e, a, v in db.session.execute(sa.select(
            Score.entrant_id, Score.aspect_id, Score.value).where(Score.judge_id == world["judge"]))}
        audit = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.judge_id == world["judge"]))
        db.session.remove()
    return marks, audit


def test_marks_typed_offline_survive_a_reload_and_reach_the_server(new_page, live_server, world):
    from playwright.sync_api import expect
    page = open_sheet(new_page, world)
    expect(page.locator("tr.aspect-descriptions")).to_contain_text("要素说明1")
    expect(cells(page).first).to_be_focused()
    box = cells(page).first.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    cached = int(page.evaluate("document.documentElement.dataset.sheetCached"))
    type_row(page, ["４．５", "12", "2"])
    expect(page.locator("#sheet td.state-saved")).to_have_count(3)
    expect(page.locator("#sheet td.invalid")).to_have_count(0)
    wait_until(page, f"document.documentElement.dataset.sheetCached > {cached}")

    page.context.set_offline(True)
    type_row(page, ["7", "15.5", "1"])
    expect(page.locator("#sheet td.state-waiting")).to_have_count(3)
    expect(page.locator("#sheet-banner")).to_be_visible()
    expect(page.locator("#sheet-banner")).to_contain_text("3")
    page.reload()
    expect(page.locator("#sheet td.state-waiting")).to_have_count(3)
    assert [cells(page).nth(i).input_value() for i in range(6)] == ["4.5", "12", "2", "7", "15.5", "1"]
    assert len(marks_and_audit(live_server, world)[0]) == 3

    page.context.set_offline(False)
    expect(page.locator("#sheet td.state-saved")).to_have_count(3, timeout=20_000)
    expect(page.locator("#sheet-banner")).to_be_hidden()
    marks, audit = marks_and_audit(live_server, world)
    assert sorted(marks.values()) == sorted(Decimal(v) for v in ("4.5", "12", "2", "7", "15.5", "1"))
    assert audit == 6
    assert page.evaluate("localStorage.length === 0 || Object.keys(JSON.parse("
                         "localStorage.getItem(document.getElementById('sheet').dataset.store)"
                         " || '{}')).length === 0")


def test_marks_refused_by_the_server_stay_unsaved_beside_the_reason(new_page, live_server, world):
    from playwright.sync_api import expect

    from competition.extensions import db
    from competition.models import Trade, User
    from competition.services import judging
    page = open_sheet(new_page, world)
    page.context.set_offline(True)
    type_row(page, ["3", "9", "1"])
    expect(page.locator("#sheet td.state-waiting")).to_have_count(3)
    with live_server.context():  # the chief judge signs the trade off meanwhile
        judging.sign_off(db.session.get(Trade, world["trade"]), db.session.get(User, world["chief"]),
                         "signed off while a tablet was offline")
        db.session.remove()
    page.context.set_offline(False)
    expect(page.locator("#sheet td.state-refused")).to_have_count(3, timeout=20_000)
    expect(page.locator("#sheet td.state-refused .cell-note").first).not_to_be_empty()
    assert [cells(page).nth(i).input_value() for i in range(3)] == ["3", "9", "1"]
    assert page.evaluate("document.getElementById('sheet').dataset.unsaved") == "3"
    assert marks_and_audit(live_server, world) == ({}, 0)
    # leaving the page with marks the server does not have asks first (the page's beforeunload
    # handler cancels the event, which makes the browser ask)
    assert page.evaluate("""() => {
        const leaving = new Event('beforeunload', {cancelable: true});
        window.dispatchEvent(leaving);
        return leaving.defaultPrevented;
    }""")


def test_two_pages_on_the_same_cell_end_in_a_choice(new_page, live_server, world):
    from playwright.sync_api import expect
    first, second = open_sheet(new_page, world), open_sheet(new_page, world)
    first.keyboard.type("5")
    first.keyboard.press("Enter")
    expect(first.locator("#sheet td.state-saved")).to_have_count(1)
    second.keyboard.type("6")
    second.keyboard.press("Enter")
    stale = second.locator("#sheet td.state-stale")
    expect(stale).to_have_count(1)
    expect(stale.locator(".cell-note")).to_contain_text("5")
    expect(stale.locator(".cell-note")).to_contain_text("6")
    assert list(marks_and_audit(live_server, world)[0].values()) == [Decimal(5)]
    stale.locator(".cell-note button").first.click()  # keep mine
    expect(second.locator("#sheet td.state-saved")).to_have_count(1)
    marks, audit = marks_and_audit(live_server, world)
    assert list(marks.values()) == [Decimal(6)] and audit == 2


def test_an_ended_session_asks_for_the_password_in_place_and_then_sends(new_page, live_server, world):
    from playwright.sync_api import expect

    from competition.extensions import db
    from competition.models import User
    from competition.services import accounts
    page = open_sheet(new_page, world)
    with live_server.context():  # the session ends (signed out elsewhere, an administrator...)
        accounts.end_sessions(db.session.get(User, world["judge"]))
        db.session.commit()
        db.session.remove()
    type_row(page, ["8"])
    login = page.locator("#sheet-login")
    expect(login).to_be_visible()
    expect(page.locator("#sheet td.state-waiting")).to_have_count(1)
    login.locator("input[type=password]").fill(PASSWORD)
    login.locator("button").click()
    expect(login).to_be_hidden()
    expect(page.locator("#sheet td.state-saved")).to_have_count(1)
    marks, audit = marks_and_audit(live_server, world)
    assert list(marks.values()) == [Decimal(8)] and audit == 1
