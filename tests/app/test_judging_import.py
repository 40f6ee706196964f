"""Marks from paper sheets: all or nothing, every bad row reported, page and command line."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from competition.extensions import db
from competition.models import AuditEntry, Score
from competition.services import imports, judging
from tests.app.support import cell, count, post_file, stored, workbook

HEADERS = ["赛项编号", "参赛编号", "评分要素编号", "裁判用户名", "分数"]


def good_rows(s):
    judge = s.judges[2].username
    e0, e1 = s.entrants[0], s.entrants[1]
    return [
        [s.trade.code, "X17", "A1", judge, 7.5],  # anonymous code
        [s.trade.code, e1.members[0].competitor_number, "A2", judge, 2],  # competitor number
        [s.trade.code, "3", "A/A3", judge, "12.5"],  # draw number; criterion/aspect
        [s.trade.code, str(e0.draw_number), "A3", s.judges[1].username, 11],
    ]


def test_a_good_file_imports_every_mark_with_a_log(scene):
    judging.save_sheet(scene.judges[2], scene.trade, [cell(scene.entrants[0], scene.measurement, "5")])
    report = imports.run("scores", scene.event, workbook(("分数", [HEADERS, *good_rows(scene)])),
                         scene.organizer, "day1.xlsx")
    assert report.ok, report.lines(str)
    assert (report.created, report.updated, report.unchanged) == (3, 1, 0)
    assert stored(scene.judges[2], scene.entrants[0], scene.measurement).value == Decimal("7.5")
    assert stored(scene.judges[2], scene.entrants[2], scene.panel).value == Decimal("12.5")
    assert count(Score) == 4
    last = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.reason == "import day1.xlsx" and last.user_id == scene.organizer.id


def test_a_file_with_bad_rows_imports_nothing_and_reports_every_row(scene):
    judge = scene.judges[2].username
    code = scene.trade.code
    rows = [HEADERS, *good_rows(scene),
            ["NOPE", "X17", "A1", judge, 5],  # 6: unknown trade
            [code, "X99", "A1", judge, 5],  # 7: unknown entrant
            [code, "X17", "Z9", judge, 5],  # 8: unknown aspect
            [code, "X17", "A1", "ghost", 5],  # 9: unknown judge
            [code, "X17", "A2", judge, 4],  # 10: judgement out of range
            [code, "X17", "A1", scene.judges[0].username, 5],  # 11: own delegation
            [code, "X17", "A1", judge, ""],  # 12: empty mark
            [code, "X17", "A1", judge, 7.5],  # 13: duplicate of row 2
            [code, "X17", "A1", scene.organizer.username, 5]]  # 14: not a judge of the trade
    report = imports.run("scores", scene.event, workbook(("分数", rows)), scene.organizer)
    assert not report.ok
    assert sorted({p.row for p in report.problems}) == list(range(6, 15))
    assert count(Score) == 0 and count(AuditEntry) == 0


def test_the_import_page_and_its_template(scene, login, client):
    login(scene.organizer)
    url = f"/judge/events/{scene.event.code}/import-scores"
    assert client.get(f"{url}/template.xlsx").status_code == 200
    bad = workbook(("分数", [HEADERS, [scene.trade.code, "X17", "A2", scene.judges[2].username, 9]]))
    response = post_file(client, url, bad)
    assert response.status_code == 422 and count(Score) == 0
    assert post_file(client, url, workbook(("分数", [HEADERS, *good_rows(scene)]))).status_code == 302
    assert count(Score) == 4
    login(scene.judges[2])
    assert client.get(url).status_code == 403


def test_the_import_command(scene, runner, tmp_path):
    path = tmp_path / "paper.xlsx"
    path.write_bytes(workbook(("分数", [HEADERS, *good_rows(scene)])))
    result = runner.invoke(args=["import-scores", "--event", scene.event.code, str(path)])
    assert result.exit_code == 0, result.output
    assert count(Score) == 4
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(("分数", [HEADERS, [scene.trade.code, "X17", "A1", "ghost", 1]])))
    result = runner.invoke(args=["import-scores", "--event", scene.event.code, str(bad)])
    assert result.exit_code == 1 and "row 2" in result.output
