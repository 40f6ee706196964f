"""write_workbook and annotate_errors, checked by opening what they write with openpyxl."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competition.spreadsheets.reader import Column, read_table
from competition.spreadsheets.safety import UploadRefused, check_xlsx
from competition.spreadsheets.writer import (
    ERRORS_HEADER,
    SheetSpec,
    annotate_errors,
    clean_text,
    display_width,
    sanitise_title,
    write_workbook,
)
from tests.app.support import open_workbook, workbook

HEADERS = ["名次", "编号", "姓名", "代表团", "总分", "日期"]


def results_spec(**overrides) -> SheetSpec:
    fields = dict(
        title="数控车",
        headers=HEADERS,
        rows=[
            [1, "A01", "张三", "江苏省", Decimal("95.25"), date(2024, 9, 1)],
            [2, "A02", "李四", "浙江省", 90.5, None],
        ],
        title_lines=["2024年全国职业技能大赛", "数控车 成绩"],
        number_formats={4: "0.00"},
    )
    fields.update(overrides)
    return SheetSpec(**fields)


def sheet_xml(data: bytes, index: int = 1) -> bytes:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml")


def test_values_layout_and_page_setup_round_trip():
    data = write_workbook([results_spec()])
    sheet = open_workbook(data)["数控车"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=3)] == [
        HEADERS,
        [1, "A01", "张三", "江苏省", 95.25, datetime(2024, 9, 1)],
        [2, "A02", "李四", "浙江省", 90.5, None],
    ]
    assert sheet["A1"].value == "2024年全国职业技能大赛" and sheet["A1"].font.b
    assert sheet["A2"].font.b
    assert all(cell.font.b for cell in sheet[3])
    assert sheet["E4"].number_format == "0.00"
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_without_title_lines_the_header_is_the_first_row_and_portrait_is_possible():
    sheet = open_workbook(write_workbook([results_spec(title_lines=(), landscape=False)])).active
    assert sheet["A1"].value == "名次"
    assert sheet.freeze_panes == "A2"
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.orientation == "portrait"


def test_widths_given_or_estimated_with_cjk_counting_double():
    rows = [["张三丰", "Zhang San", 1]] * 3
    sheet = open_workbook(write_workbook([SheetSpec("x", ["姓名", "Name", "N"], rows)])).active
    assert sheet.column_dimensions["A"].width == 8  # 3 CJK characters + 2
    assert sheet.column_dimensions["B"].width == 11
    assert sheet.column_dimensions["C"].width == 6  # the minimum
    sheet = open_workbook(write_workbook([SheetSpec("x", ["a", "b"], [], widths=[30, 12.5])])).active
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.column_dimensions["B"].width == 12.5


@pytest.mark.parametrize(
    "value, width",
    [("姓名", 4), ("Name", 4), ("ａ", 2), ("短\n很长的一行", 10), (12345, 5), (None, 0),
     (date(2024, 1, 1), 10)],
)
def test_display_width(value, width):
    assert display_width(value) == width


FORMULA_LIKE = ["=1+1", "+86 138", "-5 text", "@sum", "\tx", "=HYPERLINK(\"http://x\",\"y\")",
                "=", "#N/A", "-", "\r\n=2"]


def test_text_that_looks_like_a_formula_stays_text():
    data = write_workbook([SheetSpec("x", ["v"], [[text] for text in FORMULA_LIKE])])
    cells = [row[0] for row in open_workbook(data).active.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == [clean_text(text) for text in FORMULA_LIKE]
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.quotePrefix for cell in cells] == [
        True, True, True, True, True, True, True, False, True, True,
    ]
    assert b"<f>" not in sheet_xml(data)


def test_numbers_stay_numbers():
    row = [1, -5, 2.5, Decimal("-0.75"), True, "13800138000"]
    data = write_workbook([SheetSpec("x", list("abcdef"), [row])])
    cells = list(open_workbook(data).active[2])
    assert [c.value for c in cells] == [1, -5, 2.5, -0.75, True, "13800138000"]
    assert [c.data_type for c in cells] == ["n", "n", "n", "n", "b", "s"]


def test_illegal_characters_are_stripped_and_other_objects_written_as_text():
    class Lazy:
        def __str__(self):
            return "金牌"

    row = ["a\x00b\x1fc\x0b", "x\ufffey", Lazy()]
    data = write_workbook([SheetSpec("x", ["a", "b", "c"], [row])])
    assert [c.value for c in open_workbook(data).active[2]] == ["abc", "xy", "金牌"]


@pytest.mark.parametrize(
    "title, taken, expected",
    [
        ("数控车", [], "数控车"),
        ("成绩[2024]: A/B*?\\", [], "成绩_2024__ A_B___"),
        ("'quoted'", [], "quoted"),
        ("", [], "Sheet"),
        ("History", [], "History 1"),
        ("x" * 40, [], "x" * 31),
        ("汇总", ["汇总"], "汇总 (2)"),
        ("Summary", ["summary", "Summary (2)"], "Summary (3)"),
        ("y" * 40, ["y" * 31], "y" * 27 + " (2)"),
    ],
)
def test_sheet_titles_are_made_valid_and_unique(title, taken, expected):
    assert sanitise_title(title, taken) == expected


def test_several_sheets_with_clashing_titles():
    data = write_workbook(
        [SheetSpec("成绩", ["a"], [[1]]), SheetSpec("成绩", ["a"], [[2]]), SheetSpec("a/b", ["a"], [])]
    )
    assert open_workbook(data).sheetnames == ["成绩", "成绩 (2)", "a_b"]


def test_rows_may_be_a_long_generator_and_out_may_be_a_stream():
    out = BytesIO()
    rows = ([i, f"选手{i}"] for i in range(1, 501))
    assert write_workbook([SheetSpec("x", ["n", "姓名"], rows)], out=out) is None
    sheet = open_workbook(out.getvalue()).active
    assert sheet.max_row == 501
    assert sheet["B501"].value == "选手500"


def test_an_empty_export_is_still_a_workbook():
    assert open_workbook(write_workbook([])).sheetnames == ["Sheet"]


def test_what_the_writer_writes_the_reader_reads():
    data = write_workbook([SheetSpec("报名", ["姓名", "联系电话"], [["张三", 13800138000], ["=x", "+86"]])])
    check_xlsx(data)
    table = read_table(data, [Column("name", ("姓名",)), Column("phone", ("联系电话",), as_text=True)])
    assert [row.values for row in table.rows] == [
        {"name": "张三", "phone": "13800138000"},
        {"name": "=x", "phone": "+86"},
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=10))
def test_any_text_round_trips_and_is_never_a_formula(texts):
    data = write_workbook([SheetSpec("x", ["v"], [[text] for text in texts])])
    cells = [row[0] for row in open_workbook(data).active.iter_rows(min_row=2, max_row=len(texts) + 1)]
    for text, cell in zip(texts, cells):
        expected = clean_text(text)
        assert cell.value == (expected or None)
        if expected:
            assert cell.data_type == "s"
    assert b"<f>" not in sheet_xml(data)


@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), min_size=1)
       .filter(lambda t: clean_text(t) == t))
@settings(max_examples=100, deadline=None)
def test_text_free_of_illegal_characters_round_trips_exactly(text):
    cell = open_workbook(write_workbook([SheetSpec("x", ["v"], [[text]])])).active["A2"]
    assert (cell.value, cell.data_type) == (text, "s")


def make_upload() -> bytes:
    return workbook(("Sheet", [["报名表"], ["姓名", "性别", "证件号码"], ["张三", "男", "1"],
                               ["李四", "X", ""], ["王五", "女", "3"], ["赵六", "?", "4"]]))


def test_annotate_errors_adds_reasons_and_fills_bad_rows():
    problems = {4: ["性别应为男或女", "证件号码不能为空"], 6: ["=性别应为男或女"]}
    sheet = open_workbook(annotate_errors(make_upload(), problems, header_row=2)).active
    assert sheet["D2"].value == ERRORS_HEADER and sheet["D2"].font.b
    assert sheet["D4"].value == "性别应为男或女\n证件号码不能为空"
    assert sheet["D6"].value == "=性别应为男或女" and sheet["D6"].data_type == "s"
    assert sheet["D3"].value is None and sheet["D5"].value is None
    red = {row for row in range(1, 7) if sheet.cell(row, 1).fill.fgColor.rgb == "FFFFC7CE"}
    assert red == {4, 6}
    assert all(sheet.cell(4, column).fill.fgColor.rgb == "FFFFC7CE" for column in range(1, 5))
    assert [c.value for c in sheet[4]][:3] == ["李四", "X", None]


def test_annotating_an_annotated_file_reuses_and_clears_the_errors_column():
    first = annotate_errors(make_upload(), {4: ["a"], 6: ["b"]}, header_row=2)
    sheet = open_workbook(annotate_errors(first, {5: ["c"]}, header_row=2)).active
    assert sheet.max_column == 4
    assert [sheet.cell(row, 4).value for row in range(3, 7)] == [None, None, "c", None]
    red = {row for row in range(1, 7) if sheet.cell(row, 1).fill.fgColor.rgb == "FFFFC7CE"}
    assert red == {5}


def test_annotate_errors_checks_the_file_first():
    with pytest.raises(UploadRefused):
        annotate_errors(b"not a workbook", {2: ["x"]}, header_row=1)
