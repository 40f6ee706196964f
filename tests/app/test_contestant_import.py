"""The contestants' Excel import: all or nothing, every bad row reported on the page and in the
annotated workbook, safe to run twice, refusing anything that is not a real, bounded .xlsx."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from io import BytesIO

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Contestant, Delegation, Entrant, EntryType, Event, Role, Trade, TradeStatus
from competition.services import imports
from tests.app.support import (
    EN_HEADERS,
    ZH_HEADERS,
    annotated_workbook,
    contestants_workbook,
    open_workbook,
    page_text,
    post_file,
    report_rows,
    resident_id,
    row,
    wrong_check_digit,
)

BASE = "/manage/events/HN2026"
IMPORT = f"{BASE}/contestants/import"


@dataclass
class World:
    event: Event
    zz: Delegation
    kf: Delegation
    welding: Trade
    turning: Trade
    pair: Trade
    organizer: object


@pytest.fixture
def world(make_event, make_delegation, make_trade, make_user) -> World:
    event = make_event("HN2026")
    zz = make_delegation(event, code="ZZ", name_zh="郑州市")
    kf = make_delegation(event, code="KF", name_zh="开封市")
    welding = make_trade(event, code="W01", name_zh="焊接", name_en="Welding", quota_per_delegation=2)
    turning = make_trade(event, code="W02", name_zh="车加工", name_en="CNC Turning")
    pair = make_trade(event, code="P01", name_zh="机电一体化", entry_type=EntryType.PAIR)
    return World(event, zz, kf, welding, turning, pair, make_user(Role.ORGANIZER, event))


@pytest.fixture
def organizer_account(world):
    return world.organizer


def person_ids(n: int) -> list[str]:
    """``n`` distinct valid resident ID numbers, men on even indexes, women on odd ones."""
    return [resident_id(date(1996, 1, 1) + timedelta(days=7 * i), sequence=2 * i + 1 + i % 2)
            for i in range(n)]


def good_rows() -> list[list]:
    a, b, c, d, e = person_ids(5)
    return [
        row("郑州市", "W01", "张伟", a, gender="男"),
        row("KF", "焊接", "李娜", b, gender="女", birth_date=date(1996, 1, 8)),
        row("开封市", "Welding", "阿卜杜拉 • 买买提", c, birth_date="1996/1/15"),
        row("郑州市", "P01", "王芳", d, team="一队", id_type=""),
        row("ZZ", "机电一体化", "赵敏", e, team="一队", phone=""),
        row("ZZ", "W02", "Li Ming", "e12345678", gender="男", id_type="护照"),
    ]


def all_contestants() -> list[Contestant]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Contestant).order_by(Contestant.id)))


# --- a good file ----------------------------------------------------------------------------------

def test_a_good_file_imports_everyone(organizer, world):
    response = post_file(organizer, IMPORT, contestants_workbook(good_rows()))
    assert response.status_code == 302, report_rows(response)
    flashed = page_text(organizer.get(response.headers["Location"]))
    assert "Imported: 6 new, 0 updated, 0 unchanged." in flashed
    people = {c.name: c for c in all_contestants()}
    assert set(people) == {"张伟", "李娜", "阿卜杜拉·买买提", "王芳", "赵敏", "Li Ming"}
    assert people["张伟"].trade_id == world.welding.id and people["张伟"].gender == "M"
    assert people["李娜"].delegation_id == world.kf.id and people["李娜"].birth_date == date(1996, 1, 8)
    assert people["阿卜杜拉·买买提"].trade_id == world.welding.id
    assert people["Li Ming"].id_number == "E12345678" and people["Li Ming"].birth_date is None
    assert people["王芳"].entrant_id == people["赵敏"].entrant_id
    assert people["王芳"].entrant.team_name == "一队"
    assert people["王芳"].entrant.delegation_id == world.zz.id
    assert sorted(c.competitor_number for c in people.values()) == [
        "P01-001", "P01-002", "W01-001", "W01-002", "W01-003", "W02-001"]
    assert db.session.scalar(sa.select(sa.func.count(Entrant.id))) == 5


def test_english_headers_work_the_same(world):
    report = imports.run("contestants", world.event, contestants_workbook(good_rows(), EN_HEADERS))
    assert report.ok, report.lines(str)
    assert report.created == 6 and len(all_contestants()) == 6


def test_reimporting_the_same_file_adds_nobody(world):
    data = contestants_workbook(good_rows())
    assert imports.run("contestants", world.event, data).created == 6
    again = imports.run("contestants", world.event, data)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 6)
    rows = good_rows()
    rows[0][8] = "0371-12345678"
    corrected = imports.run("contestants", world.event, contestants_workbook(rows))
    assert (corrected.created, corrected.updated, corrected.unchanged) == (0, 1, 5)
    assert len(all_contestants()) == 6
    assert db.session.scalar(sa.select(sa.func.count(Entrant.id))) == 5
    assert all_contestants()[0].phone == "0371-12345678"


def test_the_template_imports_as_it_is(organizer, world):
    response = organizer.get(f"{BASE}/contestants/template.xlsx")
    assert response.status_code == 200
    book = open_workbook(response.data)
    headers = [c.value for c in book.worksheets[0][2]]
    assert headers[:6] == ["代表团", "赛项", "姓名", "性别", "证件类型", "证件号码"]
    report = imports.run("contestants", world.event, response.data)
    assert report.ok, report.lines(str)
    assert report.created == 3


def test_a_person_registered_for_another_delegation_is_refused(world):
    imports.run("contestants", world.event, contestants_workbook(good_rows()[:1]))
    moved = good_rows()[:1]
    moved[0][0] = "开封市"
    report = imports.run("contestants", world.event, contestants_workbook(moved))
    assert [(p.row, p.column) for p in report.problems] == [(2, "证件号码")]


def test_rows_for_a_signed_off_trade_are_refused(world):
    """The import keeps the form's rule: a signed-off trade's entrants no longer change."""
    world.welding.status = TradeStatus.SIGNED_OFF
    db.session.commit()
    report = imports.run("contestants", world.event, contestants_workbook(good_rows()))
    assert not report.ok
    assert {p.row for p in report.problems} == {2, 3, 4}
    assert all_contestants() == []


# --- a file with one of each kind of bad row ----------------------------------------------------------

def bad_file() -> tuple[bytes, dict[int, str]]:
    ids = person_ids(15)
    rows = {
        2: (row("郑州市", "W01", "甲", ids[0]), None),
        3: (row("火星市", "W01", "乙", ids[1]), "代表团"),                      # unknown delegation
        4: (row("郑州市", "T99", "丙", ids[2]), "赛项"),                        # unknown trade
        5: (row("郑州市", "W02", "丁", wrong_check_digit(ids[3])), "证件号码"),   # bad checksum
        6: (row("郑州市", "W02", "戊", ids[4], birth_date="1980-01-01"), "出生日期"),  # mismatch
        7: (row("郑州市", "W02", "己", ids[5], phone="12345"), "联系电话"),        # bad phone
        8: (row("郑州市", "W02", "", ids[6]), "姓名"),                          # missing name
        9: (row("郑州市", "W01", "甲乙", ids[0]), "证件号码"),                    # same person twice
        10: (row("开封市", "W01", "庚", ids[7]), None),
        11: (row("开封市", "W01", "辛", ids[8]), None),
        12: (row("开封市", "W01", "壬", ids[9]), "代表团"),                      # over quota
        13: (row("郑州市", "P01", "癸", ids[10], team="一队"), None),
        14: (row("郑州市", "P01", "子", ids[11], team="一队"), None),
        15: (row("郑州市", "P01", "丑", ids[12], team="一队"), "团队"),          # team over size
        16: (row("郑州市", "P01", "寅", ids[13], team="二队"), None),
        17: (row("开封市", "P01", "卯", ids[14], team="二队"), "团队"),          # team across delegations
        18: (row("郑州市", "W02", "辰", person_ids(17)[15], birth_date="1999年2月30日"),  # bad date
             "出生日期"),
        19: (row("郑州市", "W02", "巳", person_ids(17)[16], id_type="军官证"), "证件类型"),  # unknown ID type
    }
    return (contestants_workbook([cells for cells, _ in rows.values()]),
            {number: column for number, (_, column) in rows.items() if column})


def test_a_file_with_one_of_each_bad_row_imports_nothing_and_reports_every_one(organizer, world):
    data, expected = bad_file()
    response = post_file(organizer, IMPORT, data)
    assert response.status_code == 422
    assert all_contestants() == []
    assert db.session.scalar(sa.select(sa.func.count(Entrant.id))) == 0
    lines = report_rows(response)
    reported = {(int(r), c) for r, c, _ in lines}
    assert {(r, c) for r, c in expected.items()} <= reported, lines
    assert {r for r, _ in reported} == set(expected), lines  # good rows are not blamed
    assert f"Nothing was imported: {len(lines)} problems in 12 rows." in page_text(response)
    reasons = {int(r): p for r, _, p in lines}
    assert "Unknown delegation “火星市”" in reasons[3]
    assert "same person is on row 2" in reasons[9]
    assert "another delegation" in reasons[17]

    sheet = annotated_workbook(response)
    header = list(sheet[0])
    errors = header.index("错误 / Errors")
    for number, cells in enumerate(sheet[1:], start=2):
        if number in expected:
            assert cells[errors] and expected[number] in cells[errors], (number, cells[errors])
        else:
            assert not cells[errors], (number, cells[errors])


def test_the_service_reports_the_same_rows(world):
    data, expected = bad_file()
    report = imports.run("contestants", world.event, data)
    assert not report.ok and report.created == 0
    assert {p.row for p in report.problems} == set(expected)
    assert all(p.column for p in report.problems)


# --- uploads that are not workbooks ---------------------------------------------------------------------

def zip_bomb() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize("data, message", [
    ("代表团,赛项,姓名\n郑州市,W01,张伟\n".encode(), "text (CSV) file"),
    ("代表团,赛项,姓名\n郑州市,W01,张伟\n".encode("gb18030"), "text (CSV) file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, "old Excel 97-2003 file"),
    (b"", "The file is empty"),
    (b"PK\x03\x04" + b"\0" * (11 * 1024 * 1024), "too large"),
], ids=["text", "text-gbk", "xls", "empty", "over-10MB"])
def test_files_that_are_not_xlsx_are_refused_with_a_message(organizer, world, data, message):
    response = post_file(organizer, IMPORT, data, filename="contestants.xlsx")
    assert response.status_code == 422
    assert message in page_text(response)
    assert all_contestants() == []


def test_a_csv_with_a_byte_order_mark_gets_the_csv_advice(organizer, world):
    response = post_file(organizer, IMPORT, "\ufeff代表团,赛项,姓名\n郑州市,W01,张伟\n".encode(),
                      filename="contestants.xlsx")
    assert response.status_code == 422
    assert "text (CSV) file" in page_text(response)


def test_a_zip_bomb_is_refused_unopened(organizer, world):
    response = post_file(organizer, IMPORT, zip_bomb(), filename="contestants.xlsx")
    assert response.status_code == 422
    assert "compressed suspiciously" in page_text(response)


def test_an_upload_over_the_request_limit_gets_the_413_page(app, organizer, world, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024 * 1024)
    response = post_file(organizer, IMPORT, b"PK\x03\x04" + b"\0" * (2 * 1024 * 1024))
    assert response.status_code == 413
    assert "The file is too large." in page_text(response)


def test_no_file_is_a_form_error(organizer, world):
    response = organizer.post(IMPORT, data={}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert '<p class="error"' in response.get_data(as_text=True)


# --- the command line ------------------------------------------------------------------------------------

def test_the_cli_imports_a_good_file(runner, world, tmp_path):
    path = tmp_path / "contestants.xlsx"
    path.write_bytes(contestants_workbook(good_rows()))
    result = runner.invoke(args=["import-contestants", "--event", "HN2026", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported: 6 new, 0 updated, 0 unchanged." in result.output
    again = runner.invoke(args=["import-contestants", "--event", "HN2026", str(path)])
    assert again.exit_code == 0 and "0 new, 0 updated, 6 unchanged" in again.output
    assert len(all_contestants()) == 6


def test_the_cli_reports_bad_rows_and_fails(runner, world, tmp_path):
    data, expected = bad_file()
    path = tmp_path / "bad.xlsx"
    path.write_bytes(data)
    result = runner.invoke(args=["import-contestants", "--event", "HN2026", str(path)])
    assert result.exit_code == 1
    for number, column in expected.items():
        assert f"row {number}\t{column}\t" in result.output
    assert "Nothing was imported" in result.output
    assert all_contestants() == []


def test_the_cli_refuses_an_unknown_event(runner, world, tmp_path):
    path = tmp_path / "contestants.xlsx"
    path.write_bytes(contestants_workbook(good_rows()))
    result = runner.invoke(args=["import-contestants", "--event", "NOPE", str(path)])
    assert result.exit_code != 0


def test_a_missing_required_column_is_reported_without_a_row(organizer, world):
    rows = [line[:5] + line[6:] for line in good_rows()]
    headers = [h for h in ZH_HEADERS if h != "证件号码"]
    response = post_file(organizer, IMPORT, contestants_workbook(rows, headers))
    assert response.status_code == 422
    assert "The required column 证件号码" in page_text(response)
    assert all_contestants() == []


# --- residence permits of Hong Kong, Macao and Taiwan residents --------------------------------

# 810000 19900101 001 9: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over 8 1 0 0 0 0 1 9 9 0 0 1
# 0 1 0 0 1 give 56 + 9 + 2 + 9 + 54 + 9 + 5 + 2 = 146; 146 mod 11 = 3, whose check character
# is 9. A 居住证 number has the resident ID card's format and check character.
HK_RESIDENCE_PERMIT = "810000199001010019"


@pytest.mark.parametrize("id_type", ["港澳居民居住证", "台湾居民居住证"])
def test_residence_permits_are_checked_like_resident_id_cards(world, id_type):
    wrong = imports.run("contestants", world.event, contestants_workbook(
        [row("郑州市", "W01", "陈大文", HK_RESIDENCE_PERMIT[:-1] + "8", id_type=id_type)]))
    assert not wrong.ok
    assert any("check" in reason.lower() for _row, _column, reason in wrong.lines(str)), \
        wrong.lines(str)
    right = imports.run("contestants", world.event, contestants_workbook(
        [row("郑州市", "W01", "陈大文", HK_RESIDENCE_PERMIT, id_type=id_type)]))
    assert right.ok, right.lines(str)
    [person] = all_contestants()
    assert (person.id_type, person.birth_date, person.gender) == ("resident", date(1990, 1, 1), "M")
