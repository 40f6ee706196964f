"""The results workbook: sheets, values, escaping, layout and print set-up, provisional marking,
and the medal table exactly as the results engine gives it."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import force_locale, gettext

from competition.models import Role
from competition.services import publishing, results
from tests.app.support import count_queries, open_workbook, set_marks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def rows(sheet, header_row: int):
    return list(sheet.iter_rows(min_row=header_row + 1, values_only=True))


def test_event_workbook_has_summary_medal_table_and_a_sheet_per_trade(competition):
    book = open_workbook(results.event_workbook(competition.event))
    assert book.sheetnames[2:] == ["T01 焊接", "T02 机电一体化", "T03 烹饪"]
    welding = book["T01 焊接"]
    header = [c.value for c in welding[3]]
    with force_locale("zh"):
        assert header[:4] == [gettext(w) for w in ("Place", "Number", "Name", "Delegation")]
    assert header[2:4] == ["姓名", "代表团"]  # Chinese by default
    first = rows(welding, 3)[0]
    assert first[:4] == (1, competition.welding.entrants[0].members[0].competitor_number, "张三丰",
                         "郑州市")
    assert first[4:6] == (90, 90)  # the criterion's mark and the total
    assert "金牌" in first[6] and "河南省技术能手" in first[6]
    assert [r[0] for r in rows(welding, 3)] == [1, 2, 3, 4]
    assert rows(welding, 3)[3][6] is None  # fourth place: no award


def test_no_cell_is_a_formula_and_formula_like_text_stays_text(competition):
    book = open_workbook(results.event_workbook(competition.event))
    seen = {}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s" and cell.quotePrefix, cell.value
                    seen[cell.value] = True
    assert {"=1+1", "@x", "+赵六", "-钱七"} <= set(seen)


def test_layout_frozen_header_print_titles_a4_landscape_mark_format(competition):
    book = open_workbook(results.event_workbook(competition.event))
    for sheet in book.worksheets:
        header_row = int(sheet.freeze_panes[1:]) - 1
        assert sheet.print_title_rows == f"${header_row}:${header_row}"
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.column_dimensions["C"].width >= 6
    welding = book["T01 焊接"]
    assert welding.freeze_panes == "A4"
    assert welding["E4"].number_format == "0.00" and welding["F4"].number_format == "0.00"
    assert welding["A4"].number_format == "0"


def test_provisional_trades_are_marked_in_title_summary_and_rows(competition):
    data = results.event_workbook(competition.event, "en")
    book = open_workbook(data)
    with force_locale("en"):
        provisional, published = gettext("Provisional"), gettext("Published")
    welding, cooking = book.worksheets[2], book.worksheets[4]
    assert welding.title == "T01 Welding"
    assert "PROVISIONAL" in cooking["A2"].value
    assert "PROVISIONAL" not in welding["A2"].value
    assert [r[-1] for r in rows(cooking, 3)] == [provisional, provisional]
    assert [r[-1] for r in rows(welding, 3)] == [None] * 4
    summary = {r[0]: r for r in rows(book.worksheets[0], 5)}
    assert summary["T01"][6] == published and provisional in summary["T03"][6]
    assert welding["C3"].value == "Name"  # headers follow the locale


def test_amended_trade_shows_version_and_reason(competition):
    set_marks(competition.welding.trade, competition.welding.entrants[3], 59, 40)
    publishing.amend(competition.welding.trade, None, "王五的成绩复核后更正")
    book = open_workbook(results.event_workbook(competition.event))
    welding = book["T01 焊接"]
    assert "王五的成绩复核后更正" in welding["A3"].value
    assert rows(welding, 4)[0][2] == "王五"
    summary = {r[0]: r for r in rows(book.worksheets[0], 5)}
    assert summary["T01"][8] == "王五的成绩复核后更正"


def test_medal_table_sheet_is_the_results_engines(competition):
    book = open_workbook(results.event_workbook(competition.event))
    expected = [(r.rank, r.code, r.name_zh, r.gold, r.silver, r.bronze, r.excellence, r.total,
                 r.points) for r in results.medal_table(competition.event)]
    assert rows(book.worksheets[1], 4) == expected
    assert expected[0][1:4] == ("ZZ", "郑州市", 2)  # the pair's gold counts once


def test_delegation_workbook_lists_only_its_entrants(competition):
    book = open_workbook(results.delegation_workbook(competition.event, competition.at))
    listed = rows(book.worksheets[1], 2)
    assert {r[4].split("（")[0] for r in listed} >= {"=1+1", "王五", "-钱七"}
    assert all("@x" in r[4] or r[4] in ("=1+1", "王五", "-钱七") for r in listed)
    assert "张三丰" not in {r[4] for r in listed}


def test_published_trades_cost_no_query_each(competition, scored_trade):
    with count_queries() as before:
        results.event_workbook(competition.event)
    for code in ("T04", "T05", "T06"):
        extra = scored_trade([70, 60], event=competition.event, code=code,
                             delegations=[competition.zz, competition.at])
        results.publish(extra.trade, None)
    with count_queries() as after:
        results.event_workbook(competition.event)
    assert after.count == before.count


def test_download_from_the_organizer_pages(competition, client, login, make_user, make_event):
    login(competition.organizer)
    url = f"/manage/events/{competition.event.code}/exports/results.xlsx"
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == XLSX
    assert "HN2026-results.xlsx" in response.headers["Content-Disposition"]
    assert open_workbook(response.data).sheetnames[2] == "T01 焊接"
    response = client.get(url + "?delegation=AT")
    assert response.status_code == 200
    assert "HN2026-AT-results.xlsx" in response.headers["Content-Disposition"]
    assert client.get(url + "?delegation=NOPE").status_code == 404
    page = client.get(f"/manage/events/{competition.event.code}/exports")
    assert page.status_code == 200 and "results.xlsx" in page.get_data(as_text=True)


def test_download_access(competition, client, login, make_user, make_event):
    url = f"/manage/events/{competition.event.code}/exports/results.xlsx"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    login(make_user(Role.JUDGE, competition.event))
    assert client.get(url).status_code == 403
    login(make_user(Role.ORGANIZER, make_event()))
    assert client.get(url).status_code == 403
    login(make_user(Role.SUPERVISOR, competition.event))
    assert client.get(url).status_code == 200


def test_cli_export_results(competition, runner, tmp_path):
    out = tmp_path / "results.xlsx"
    result = runner.invoke(args=["export-results", "--event", "HN2026", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert open_workbook(out.read_bytes()).sheetnames[2:] == ["T01 焊接", "T02 机电一体化", "T03 烹饪"]
    out = tmp_path / "at.xlsx"
    result = runner.invoke(args=["export-results", "--event", "HN2026", "--delegation", "AT",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(open_workbook(out.read_bytes()).sheetnames) == 2
    result = runner.invoke(args=["export-results", "--event", "NOPE", "-o", str(out)])
    assert result.exit_code != 0


def test_marks_keep_their_decimals(competition, scored_trade):
    extra = scored_trade([(Decimal("45.25"), Decimal("30.5"))], event=competition.event,
                         code="T09", delegations=[competition.zz],
                         aspects=((60, "measurement"), (40, "measurement")))
    results.publish(extra.trade, None)
    sheet = open_workbook(results.event_workbook(competition.event))["T09 " + extra.trade.name_zh]
    assert rows(sheet, 3)[0][4:6] == (75.75, 75.75)
