"""Two-person entry of paper marking sheets: a filled blank sheet uploaded by one person is kept
as a pending entry (no mark counts); a second, different person confirms it (a button, or the
sheet typed in again identically) or rejects it; the server refuses the first person.

The scene is test_paper_sheet's: the trade's aspects A1 (at most 10), A2 (0-3), A3 (at most 20);
the blank sheet's rows 5, 6, 7 are draw numbers 1, 2, 3; columns C, D, E are A1, A2, A3.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from competition.domain.paper_entry import EntryStatus
from competition.domain.roles import Role
from competition.extensions import db
from competition.models import AuditEntry, PaperCell, PaperEntry, Score, TradeStatus
from competition.services import imports
from tests.app.support import count, post_file, stored, workbook
from tests.app.support.web import flashes, page_text
from tests.app.test_paper_sheet import HEADERS, blank, filled, import_url

MARKS = {"C5": 7.5, "D6": 2, "E7": "12.5", "E5": 20}


def entries_url(scene, entry: PaperEntry | None = None, action: str = "") -> str:
    url = f"/judge/events/{scene.event.code}/paper-entries"
    return f"{url}/{entry.id}{'/' + action if action else ''}" if entry else url


@pytest.fixture
def entered(scene, login, client):
    """The judges[2]'s filled sheet uploaded by the organizer: (the entry, the file)."""
    data = filled(blank(login(scene.judges[2]), scene), MARKS)
    login(scene.organizer)
    response = post_file(client, import_url(scene), data, filename="day1-paper.xlsx")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(entries_url(scene))
    return db.session.scalar(sa.select(PaperEntry)), data


def test_an_uploaded_sheet_is_pending_and_counts_nothing(scene, entered, client):
    entry, _data = entered
    assert count(Score) == 0 and count(AuditEntry) == 0
    assert (entry.trade_id, entry.judge_id, entry.entered_by_id, entry.status) == (
        scene.trade.id, scene.judges[2].id, scene.organizer.id, EntryStatus.PENDING)
    assert sorted((c.sheet_row, c.text) for c in entry.cells) == [
        (5, "20"), (5, "7.5"), (6, "2"), (7, "12.5")]
    listing = client.get(entries_url(scene))
    assert listing.status_code == 200 and scene.judges[2].name in page_text(listing)
    assert entries_url(scene, entry) in listing.get_data(as_text=True)
    assert entries_url(scene) in client.get(import_url(scene)).get_data(as_text=True)


def test_the_person_who_entered_it_cannot_confirm(scene, entered, client):
    entry, data = entered  # the organizer is still logged in
    page = client.get(entries_url(scene, entry))
    assert "这张评分表是您录入的" in page_text(page)  # "You entered this sheet", in Chinese
    assert "/confirm" not in page.get_data(as_text=True)  # no button offered
    response = client.post(entries_url(scene, entry, "confirm"), follow_redirects=True)
    assert "这张评分表是您录入的" in " ".join(flashes(response))
    assert post_file(client, entries_url(scene, entry, "typing"), data).status_code == 302
    client.post(entries_url(scene, entry, "reject"), data={"reason": "mine"})
    db.session.expire_all()
    assert db.session.get(PaperEntry, entry.id).status == EntryStatus.PENDING
    assert count(Score) == 0 and count(AuditEntry) == 0


def test_a_second_person_confirms_and_the_marks_count(scene, entered, login, client):
    entry, _data = entered
    login(scene.chief)  # the trade's chief judge, led to the entries from the progress page
    progress = client.get(f"/judge/trades/{scene.trade.id}/progress")
    assert entries_url(scene) in progress.get_data(as_text=True)
    assert client.get(entries_url(scene, entry)).status_code == 200
    response = client.post(entries_url(scene, entry, "confirm"))
    assert response.status_code == 302
    judge = scene.judges[2]
    assert stored(judge, scene.entrants[0], scene.measurement).value == Decimal("7.5")
    assert stored(judge, scene.entrants[2], scene.panel).value == Decimal("12.5")
    assert count(Score) == 4
    reasons = {(e.reason, e.user_id) for e in db.session.scalars(sa.select(AuditEntry))}
    assert reasons == {(f"paper entry {entry.id} day1-paper.xlsx: entered by "
                        f"{scene.organizer.username}, confirmed by {scene.chief.username}",
                        scene.chief.id)}
    db.session.expire_all()
    entry = db.session.get(PaperEntry, entry.id)
    assert (entry.status, entry.decided_by_id) == (EntryStatus.CONFIRMED, scene.chief.id)
    client.post(entries_url(scene, entry, "confirm"))  # a second time: already decided
    assert count(AuditEntry) == 4


def test_an_identical_second_typing_confirms(scene, entered, login, make_user):
    entry, data = entered
    other = login(make_user(Role.ORGANIZER, scene.event))
    response = post_file(other, entries_url(scene, entry, "typing"), data)
    assert response.status_code == 302
    assert count(Score) == 4
    db.session.expire_all()
    assert db.session.get(PaperEntry, entry.id).status == EntryStatus.CONFIRMED


def test_a_differing_second_typing_shows_the_cells_and_confirms_nothing(scene, entered, login):
    entry, _data = entered
    typed = filled(blank(login(scene.judges[2]), scene), {**MARKS, "C5": 5.7, "E7": None, "D5": 1})
    other = login(scene.chief)
    response = post_file(other, entries_url(scene, entry, "typing"), typed)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    rows = [page_text_of(r) for r in html.split('<tr class="differs">')[1:]]
    assert rows == ["1 A/A1 7.5 5.7", "1 A/A2 — 1", "3 A/A3 12.5 —"]
    assert count(Score) == 0 and count(AuditEntry) == 0
    db.session.expire_all()
    assert db.session.get(PaperEntry, entry.id).status == EntryStatus.PENDING


def page_text_of(fragment: str) -> str:
    """The text of one table row of an HTML fragment."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment.split("</tr>")[0]).split())


def test_a_rejection_keeps_nothing_and_records_the_reason(scene, entered, login, client):
    entry, _data = entered
    login(scene.chief)
    assert client.post(entries_url(scene, entry, "reject"), data={"reason": ""}).status_code == 422
    response = client.post(entries_url(scene, entry, "reject"), data={"reason": "行 6 看错"})
    assert response.status_code == 302
    db.session.expire_all()
    entry = db.session.get(PaperEntry, entry.id)
    assert (entry.status, entry.decided_by_id, entry.reason) == (
        EntryStatus.REJECTED, scene.chief.id, "行 6 看错")
    assert count(Score) == 0 and count(AuditEntry) == 0
    assert count(PaperCell) == 4  # kept as the record of what was rejected
    client.post(entries_url(scene, entry, "confirm"))
    assert count(Score) == 0


def test_no_confirmation_once_the_trade_is_signed_off(scene, entered, login, client):
    entry, _data = entered
    scene.trade.status = TradeStatus.SIGNED_OFF
    db.session.commit()
    login(scene.chief)
    client.post("/language", data={"lang": "en"})
    assert "signed off" in page_text(client.get(entries_url(scene, entry)))
    response = client.post(entries_url(scene, entry, "confirm"), follow_redirects=True)
    assert "signed off" in " ".join(flashes(response))
    assert count(Score) == 0


def test_a_cell_recused_since_the_entry_is_not_confirmed(scene, entered, login, client):
    entry, _data = entered
    scene.judges[2].delegation_id = scene.delegations[2].id  # now of the entrant with draw 3
    db.session.commit()
    login(scene.chief)
    response = client.post(entries_url(scene, entry, "confirm"), follow_redirects=True)
    assert response.status_code == 200 and "裁判不得为本代表团的参赛单元评分。" in flashes(response)
    assert count(Score) == 0
    db.session.expire_all()
    assert db.session.get(PaperEntry, entry.id).status == EntryStatus.PENDING


def test_who_sees_and_decides_paper_entries(scene, entered, login, client, make_user,
                                            make_trade):
    entry, _data = entered
    login(scene.judges[0])  # a judge: no list, no entry, no confirmation
    assert client.get(entries_url(scene)).status_code == 403
    assert client.get(entries_url(scene, entry)).status_code == 403
    assert client.post(entries_url(scene, entry, "confirm")).status_code == 403
    login(scene.supervisor)  # reads, never decides
    assert client.get(entries_url(scene, entry)).status_code == 200
    assert client.post(entries_url(scene, entry, "confirm")).status_code == 403
    other_trade = make_trade(scene.event, status=TradeStatus.OPEN)
    login(make_user(Role.CHIEF_JUDGE, scene.event, trades=(other_trade,), chief=True))
    assert client.get(entries_url(scene, entry)).status_code == 403  # not chief of this trade
    assert client.post(entries_url(scene, entry, "confirm")).status_code == 403
    assert client.get(entries_url(scene, entry)[:-1] + "999").status_code == 404
    assert count(Score) == 0


def test_the_row_per_mark_import_still_writes_at_once(scene, login, client):
    rows = [HEADERS, [scene.trade.code, "X17", "A1", scene.judges[2].username, 7.5]]
    login(scene.organizer)
    assert post_file(client, import_url(scene), workbook(("分数", rows))).status_code == 302
    assert count(Score) == 1 and count(PaperEntry) == 0


def test_the_command_line_enters_too(scene, login):
    data = filled(blank(login(scene.judges[2]), scene), MARKS)
    report = imports.run("scores", scene.event, data, None, "cli.xlsx")
    assert report.ok and report.entries == 1
    assert count(Score) == 0 and count(PaperEntry, entered_by_id=None) == 1
