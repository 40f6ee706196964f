"""The paper path: the blank marking sheet downloaded per judge, filled in and imported back.

The scene's trade has one criterion "A" with aspects A1 (measurement, at most 10), A2
(judgement, 0-3) and A3 (panel mark, at most 20); entrants of delegations 0, 1 and 2 have draw
numbers 1, 2, 3 and codes X17, X18, X19; judges[0] is of delegation 0 (recused from X17).
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import sqlalchemy as sa
from openpyxl import load_workbook

from competition.domain.roles import Role
from competition.extensions import db
from competition.models import AuditEntry, PaperEntry, Score, TradeStatus
from competition.services import imports
from tests.app.support import count, post_file, read_workbook, stored, workbook

HEADERS = ["赛项编号", "参赛编号", "评分要素编号", "裁判用户名", "分数"]


def blank(client, scene) -> bytes:
    response = client.get(f"/judge/trades/{scene.trade.id}/blank.xlsx")
    assert response.status_code == 200
    return response.data


def filled(data: bytes, cells: dict[str, object], sheet: int = 0) -> bytes:
    book = load_workbook(BytesIO(data))
    for ref, value in cells.items():
        book.worksheets[sheet][ref] = value
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def import_url(scene) -> str:
    return f"/judge/events/{scene.event.code}/import-scores"


def test_the_sheet_carries_the_judge_the_trade_and_the_aspects(scene, login):
    judge = scene.judges[2]
    sheets = read_workbook(blank(login(judge), scene))
    assert len(sheets) == 1
    rows = next(iter(sheets.values()))
    assert rows[1] == ("赛项代码", scene.trade.code, "裁判", judge.name, "用户名", judge.username)
    assert rows[2][0] == "评分要素"
    assert rows[2][2:] == tuple(a.description_zh for a in scene.aspects)
    assert rows[3] == ("参赛编号", "参赛单元", "A/A1 (10)", "A/A2 (0-3)", "A/A3 (20)")
    assert [r[0] for r in rows[4:7]] == ["1", "2", "3"]


def test_the_chinese_sheet_has_a_chinese_signature_block(scene, login, client):
    cells = [str(v) for r in next(iter(read_workbook(blank(login(scene.judges[2]), scene))
                                        .values())) for v in r if v]
    signatures = [c for c in cells if "签名" in c]
    assert [s.split()[0] for s in signatures] == ["裁判员签名：", "裁判长签名："]
    assert all("日期：" in s for s in signatures)
    assert not [c for c in cells if "ignature" in c or "Judge:" in c or "Date:" in c]
    client.post("/language", data={"lang": "en"})
    cells = [str(v) for r in next(iter(read_workbook(blank(client, scene)).values()))
             for v in r if v]
    assert [c.split(" _")[0] for c in cells if "signature" in c] == [
        "Judge's signature:", "Chief judge's signature:"]
    assert not [c for c in cells if "签名" in c]


def test_an_organizer_gets_a_sheet_per_scoring_judge(scene, login):
    sheets = read_workbook(blank(login(scene.organizer), scene))
    usernames = sorted(rows[1][5] for rows in sheets.values())
    assert usernames == sorted(j.username for j in scene.judges)  # the chief judge does not score


def test_a_filled_in_sheet_imports_its_marks_for_its_judge(scene, login, client, make_user):
    judge = scene.judges[2]
    data = filled(blank(login(judge), scene), {"C5": 7.5, "D6": 2, "E7": "12.5", "E5": 20})
    login(scene.organizer)
    response = post_file(client, import_url(scene), data, filename="day1-paper.xlsx")
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    # Two-person entry (tests/app/test_paper_entry.py): nothing counts until a second person
    # confirms the entry.
    assert count(Score) == 0
    entry = db.session.scalar(sa.select(PaperEntry))
    second = make_user(Role.ORGANIZER, scene.event)
    assert imports.confirm_paper(scene.event, second, entry.id) == 4
    assert stored(judge, scene.entrants[0], scene.measurement).value == Decimal("7.5")
    assert stored(judge, scene.entrants[0], scene.panel).value == Decimal("20")
    assert stored(judge, scene.entrants[1], scene.judgement).value == Decimal("2")
    assert stored(judge, scene.entrants[2], scene.panel).value == Decimal("12.5")
    assert count(Score) == 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Score)
                             .where(Score.judge_id != judge.id)) == 0
    entries = db.session.scalars(sa.select(AuditEntry)).all()
    assert len(entries) == 4
    assert {(e.reason, e.user_id) for e in entries} == {
        (f"paper entry {entry.id} day1-paper.xlsx: entered by {scene.organizer.username}, "
         f"confirmed by {second.username}", second.id)}
    # The same file again is a new entry; confirmed, it changes nothing.
    report = imports.run("scores", scene.event, data, scene.organizer, "again.xlsx")
    assert report.ok and report.entries == 1
    again = db.session.scalar(sa.select(PaperEntry).where(PaperEntry.id != entry.id))
    assert imports.confirm_paper(scene.event, second, again.id) == 0
    assert count(AuditEntry) == 4


def test_a_bad_cell_imports_nothing_and_is_reported(scene, login, client):
    judge = scene.judges[2]
    data = filled(blank(login(judge), scene), {
        "C5": 7.5,  # fine
        "C6": 11,  # row 6: A1 is at most 10
        "D7": 4,  # row 7: a judgement is 0-3
        "A8": "99", "E8": 3,  # row 8 (the blank row above the signatures): no entrant 99
    })  # row 9, the judge's signature, is read as an entrant's row without marks
    report = imports.run("scores", scene.event, data, scene.organizer, "bad.xlsx")
    assert not report.ok
    assert sorted((p.row, p.column) for p in report.problems) == [
        (6, "A/A1 (C)"), (7, "A/A2 (D)"), (8, "entrant")]
    assert report.annotated(str)  # the uploaded sheet comes back marked up
    login(scene.organizer)
    response = post_file(client, import_url(scene), data)
    assert response.status_code == 422
    assert count(Score) == 0 and count(AuditEntry) == 0


def test_a_closed_trade_or_a_recused_cell_imports_nothing(scene, login):
    scene.trade.uses_anonymous_codes = True
    db.session.commit()
    rows = next(iter(read_workbook(blank(login(scene.judges[0]), scene)).values()))
    assert [r[0] for r in rows[4:6]] == ["X18", "X19"]  # X17 is the judge's own delegation's
    assert "X17" not in {str(v) for r in rows for v in r if v}
    sheet = blank(login(scene.judges[0]), scene)
    recused = filled(sheet, {"B5": 6, "A6": "X17", "B6": 5})
    report = imports.run("scores", scene.event, recused, scene.organizer)
    assert [(p.row, p.column) for p in report.problems] == [(6, "judge")]
    scene.trade.status = TradeStatus.SIGNED_OFF
    db.session.commit()
    report = imports.run("scores", scene.event, filled(sheet, {"B5": 6}), scene.organizer)
    assert [(p.row, p.column) for p in report.problems] == [(5, "judge")]
    assert count(Score) == 0


def test_the_row_per_mark_format_still_imports(scene, login, client):
    judge = scene.judges[2].username
    rows = [HEADERS, [scene.trade.code, "X17", "A1", judge, 7.5],
            [scene.trade.code, "2", "A/A3", judge, "12.5"]]
    login(scene.organizer)
    assert post_file(client, import_url(scene), workbook(("分数", rows))).status_code == 302
    assert stored(scene.judges[2], scene.entrants[0], scene.measurement).value == Decimal("7.5")
    assert stored(scene.judges[2], scene.entrants[1], scene.panel).value == Decimal("12.5")
    assert count(Score) == 2
