"""read_table: find the header in Chinese or English, map the columns, read the rows users see."""

from __future__ import annotations

import zipfile
from datetime import datetime
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competition.spreadsheets import reader
from competition.spreadsheets.reader import Column, Limits, Row, normalise_header, read_table
from competition.spreadsheets.safety import MSG_EMPTY, UploadRefused
from tests.app.support import workbook

COLUMNS = [
    Column("name", ("姓名", "Name")),
    Column("gender", ("性别", "Gender")),
    Column("id_number", ("证件号码", "ID number"), as_text=True),
    Column("phone", ("联系电话", "Phone"), required=False, as_text=True),
    Column("mark", ("分数", "Mark"), required=False),
]


def make_xlsx(*rows: list[object], sheets: dict[str, list[list[object]]] | None = None) -> bytes:
    """A workbook of ``rows`` on its first sheet and the other ``sheets`` (title → rows)."""
    return workbook(("Sheet", list(rows)), *(sheets or {}).items())


def replace_member(data: bytes, name: str, edit) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as out:
        for info in source.infolist():
            content = source.read(info)
            out.writestr(info.filename, edit(content) if info.filename == name else content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("姓名", "姓名"),
        (" 姓 名 ", "姓名"),
        ("姓名*", "姓名"),
        ("*姓名", "姓名"),
        ("姓名（必填）", "姓名"),
        ("姓名\n(必填)", "姓名"),
        ("ＩＤ　Ｎｕｍｂｅｒ", "idnumber"),
        ("ID Number (required)", "idnumber"),
        ("Phone(optional)", "phone"),
        (None, ""),
        (2024, "2024"),
    ],
)
def test_headers_compare_without_case_spaces_width_or_markers(text, expected):
    assert normalise_header(text) == expected


def test_chinese_headers():
    table = read_table(
        make_xlsx(
            ["姓名", "性别", "证件号码", "联系电话"],
            ["张三", "男", "110101199003074477", "13800138000"],
            ["李四", "女", "11010119900307118X", None],
        ),
        COLUMNS,
    )
    assert table.problems == []
    assert table.header_row == 1
    assert table.rows == [
        Row(2, {"name": "张三", "gender": "男", "id_number": "110101199003074477",
                "phone": "13800138000", "mark": None}),
        Row(3, {"name": "李四", "gender": "女", "id_number": "11010119900307118X",
                "phone": None, "mark": None}),
    ]


def test_english_headers_in_any_order_with_markers_and_extra_columns():
    table = read_table(
        make_xlsx(
            ["No.", "*PHONE", " Gender ", "ＩＤ　Ｎｕｍｂｅｒ（必填）", "name*", "Remarks"],
            [1, "13800138000", "male", "110101199003074477", "Zhang San", "late"],
        ),
        COLUMNS,
    )
    assert table.problems == []
    assert table.rows[0].values == {
        "name": "Zhang San", "gender": "male", "id_number": "110101199003074477",
        "phone": "13800138000", "mark": None,
    }


def test_a_title_row_above_the_header_is_passed_over():
    table = read_table(
        make_xlsx(
            ["2024年职业技能大赛 参赛选手报名表"],
            [],
            ["姓名", "性别", "证件号码"],
            ["张三", "男", "110101199003074477"],
        ),
        COLUMNS,
    )
    assert table.problems == []
    assert table.header_row == 3
    assert [row.number for row in table.rows] == [4]


def test_a_missing_required_column_is_reported_and_no_rows_are_read():
    table = read_table(
        make_xlsx(["姓名", "性别", "联系电话"], ["张三", "男", "13800138000"]), COLUMNS
    )
    assert table.rows == []
    [problem] = table.problems
    assert problem.message == reader.MSG_MISSING_COLUMN
    assert problem.column == "id_number"
    assert problem.params == {"column": "证件号码 / ID number", "row": 1}


def test_a_column_named_twice_is_reported():
    table = read_table(
        make_xlsx(["姓名", "性别", "Name", "证件号码"], ["张三", "男", "Zhang", "1"]), COLUMNS
    )
    assert table.rows == []
    [problem] = table.problems
    assert problem.message == reader.MSG_DUPLICATE_COLUMN
    assert problem.params == {"column": "姓名 / Name", "letters": "A, C", "row": 1}
    assert problem.render() == (
        "The column 姓名 / Name appears more than once (columns A, C of header row 1)."
    )


def test_no_header_in_the_first_ten_rows():
    rows = [["说明"]] * 10 + [["姓名", "性别", "证件号码"]]
    table = read_table(make_xlsx(*rows), COLUMNS)
    assert table.header_row == 0
    [problem] = table.problems
    assert problem.message == reader.MSG_NO_HEADER
    assert problem.params["expected"] == "姓名 / Name; 性别 / Gender; 证件号码 / ID number"


def test_blank_rows_are_skipped_and_row_numbers_stay_those_excel_shows():
    table = read_table(
        make_xlsx(
            ["姓名", "性别", "证件号码"],
            ["张三", "男", "1"],
            [None, None, None],
            ["  ", "\u3000", ""],
            [],
            ["  李四 ", " 女", "2 "],
        ),
        COLUMNS,
    )
    assert [(row.number, row.values["name"], row.values["gender"]) for row in table.rows] == [
        (2, "张三", "男"),
        (6, "李四", "女"),
    ]


def test_numbers_as_text_lose_the_float_tail_other_values_keep_their_type():
    born = datetime(1990, 3, 7)
    table = read_table(
        make_xlsx(
            ["姓名", "性别", "证件号码", "联系电话", "分数", "出生日期"],
            ["张三", "男", 110101199003074, 13800138000.0, 9.5, born],
            ["李四", "女", "11010119900307118X", 13900139000, 10, None],
        ),
        [*COLUMNS, Column("born", ("出生日期",), required=False)],
    )
    first, second = (row.values for row in table.rows)
    assert first["phone"] == "13800138000"
    assert first["id_number"] == "110101199003074"
    assert first["mark"] == 9.5
    assert first["born"] == born
    assert second["phone"] == "13900139000"
    assert second["mark"] == 10 and isinstance(second["mark"], int)


def test_more_rows_than_the_limit_is_refused_with_a_problem():
    rows = [["姓名", "性别", "证件号码"]] + [[f"选手{i}", "男", str(i)] for i in range(4)]
    assert len(read_table(make_xlsx(*rows[:4]), COLUMNS, limits=Limits(max_rows=3)).rows) == 3
    table = read_table(make_xlsx(*rows), COLUMNS, limits=Limits(max_rows=3))
    assert table.rows == []
    [problem] = table.problems
    assert problem.message == reader.MSG_TOO_MANY_ROWS
    assert problem.params == {"limit": 3, "row": 5}


def test_a_named_sheet_is_read_and_a_missing_one_reported():
    data = make_xlsx(["填表说明"], sheets={"选手": [["姓名", "性别", "证件号码"], ["张三", "男", "1"]]})
    assert read_table(data, COLUMNS, sheet="选手").rows[0].values["name"] == "张三"
    [problem] = read_table(data, COLUMNS, sheet="Teams").problems
    assert problem.message == reader.MSG_NO_SHEET


def test_rows_past_a_wrong_recorded_dimension_are_still_read():
    data = make_xlsx(["姓名", "性别", "证件号码"], *[[f"选手{i}", "男", str(i)] for i in range(5)])
    data = replace_member(
        data, "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<dimension ref="A1:C6"/>', b'<dimension ref="A1:A1"/>'),
    )
    assert len(read_table(data, COLUMNS).rows) == 5


def test_the_safety_check_comes_first():
    with pytest.raises(UploadRefused) as caught:
        read_table(b"", COLUMNS)
    assert caught.value.problem.message == MSG_EMPTY


@pytest.mark.parametrize(
    "member, edit",
    [
        ("xl/workbook.xml", lambda xml: b"<workbook"),
        ("xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2]),
        ("xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<c r=", b"<c t=\"zz\" r=")),
        ("xl/styles.xml", lambda xml: b"<styleSheet"),
    ],
    ids=["broken-workbook", "cut-sheet", "odd-cell-type", "broken-styles"],
)
def test_files_openpyxl_cannot_read_are_refused_not_crashed(member, edit):
    data = replace_member(make_xlsx(["姓名", "性别", "证件号码"], ["张三", "男", "1"]), member, edit)
    with pytest.raises(UploadRefused) as caught:
        read_table(data, COLUMNS)
    assert caught.value.problem.message == reader.MSG_UNREADABLE


@pytest.mark.parametrize("broken", [False, True], ids=["read", "failed"])
def test_the_workbook_is_always_closed(monkeypatch, broken):
    opened = []

    def spy(*args, **kwargs):
        workbook = real(*args, **kwargs)
        opened.append(workbook)
        return workbook

    real = reader.load_workbook
    monkeypatch.setattr(reader, "load_workbook", spy)
    data = make_xlsx(["姓名", "性别", "证件号码"], ["张三", "男", "1"])
    if broken:
        data = replace_member(data, "xl/worksheets/sheet1.xml", lambda xml: xml[:-40])
        with pytest.raises(UploadRefused):
            read_table(data, COLUMNS)
    else:
        read_table(data, COLUMNS)
    [workbook] = opened
    assert workbook._archive.fp is None


# Made once: a fresh one differs (timestamps) and would confuse hypothesis.
SAMPLE = make_xlsx(["姓名", "性别", "证件号码"], ["张三", "男", "1"])


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_damaged_files_raise_only_upload_refused(data):
    original = bytearray(SAMPLE)
    for _ in range(data.draw(st.integers(1, 4))):
        original[data.draw(st.integers(0, len(original) - 1))] = data.draw(st.integers(0, 255))
    try:
        read_table(bytes(original), COLUMNS)
    except UploadRefused:
        pass
