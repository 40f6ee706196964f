"""Sheets wider than an import reads are refused before a cell is read (issue 13, finding 6: a
9.7 KB file of 200 bad rows and one cell in column XFC pinned a worker for 30 s and 1.46 GB
while its marked-up copy was built); the marked-up copy of a file that is read fills only the
header's width."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
from io import BytesIO

import pytest

from competition.models import Contestant, Role
from competition.spreadsheets import safety
from competition.spreadsheets.reader import COLUMN_MARGIN, Column, read_table
from competition.spreadsheets.safety import Limits, UploadRefused, check_xlsx
from competition.spreadsheets.writer import ERRORS_HEADER, annotate_errors
from tests.app.support import count, open_workbook, page_text, rezip, workbook
from tests.app.upload_corpus import GOOD_HEADER, GOOD_ROW, SHEET, wide_sheets, xfc_workbook

MEMORY_LIMIT = 256 * 1024 * 1024
COLUMNS = (Column("name", ("姓名", "Name")), Column("phone", ("电话", "Phone"), required=False))


def peak_memory(action):
    """(what ``action()`` returned, its peak traced memory in bytes)."""
    tracemalloc.start()
    try:
        return action(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture
def event(make_event, make_delegation, make_trade):
    event = make_event(code="HN")
    make_delegation(event, code="ZZ", name_zh="郑州市")
    make_trade(event, code="T01")
    return event


def test_the_xfc_file_is_refused_through_the_page_quickly_and_in_little_memory(
        event, client, login, upload, make_user):
    url = "/manage/events/HN/contestants/import"
    login(make_user(Role.ORGANIZER, event))
    assert client.get(url).status_code == 200
    data = xfc_workbook()
    assert len(data) < 16 * 1024
    started = time.perf_counter()
    response = upload(url, data, "wide.xlsx")
    seconds = time.perf_counter() - started
    assert response.status_code == 422
    text = page_text(response)
    assert "XFC" in text and "base64," not in response.get_data(as_text=True)
    assert seconds < 3, f"{seconds:.1f} s"
    response, peak = peak_memory(lambda: upload(url, data, "wide.xlsx"))
    assert response.status_code == 422
    assert peak < MEMORY_LIMIT / 4, f"{peak / 1e6:.0f} MB"
    assert count(Contestant) == 0


@pytest.mark.parametrize("name, data", wide_sheets(), ids=[name for name, _ in wide_sheets()])
def test_every_wide_sheet_is_refused_as_too_wide_or_too_long(name, data):
    with pytest.raises(UploadRefused) as refused:
        read_table(data, COLUMNS)
    assert refused.value.problem.message in (safety.MSG_TOO_WIDE, safety.MSG_TOO_MANY_ROWS)


def test_the_width_allowed_is_the_imports_columns_plus_a_margin():
    widest = len(COLUMNS) + COLUMN_MARGIN
    header = ["姓名", "电话"] + [f"备注{i}" for i in range(widest - 2)]
    table = read_table(workbook(("Sheet", [header, ["张三", "1"] + ["x"] * (widest - 2)])), COLUMNS)
    assert [r.values for r in table.rows] == [{"name": "张三", "phone": "1"}]
    with pytest.raises(UploadRefused) as refused:
        read_table(workbook(("Sheet", [header + ["one too many"], ["张三"]])), COLUMNS)
    assert refused.value.problem.message == safety.MSG_TOO_WIDE
    assert refused.value.problem.params == {"column": "AQ", "limit": widest}


def test_a_cell_tag_split_between_two_chunks_is_still_read():
    """The sheet's XML streams in 256 KiB chunks: a far cell whose tag straddles the boundary
    counts like any other."""
    base = workbook(("Sheet", [["姓名"], ["张三"]]))
    xml = zipfile.ZipFile(BytesIO(base)).read(SHEET)
    head, tail = xml.split(b"</sheetData>")
    filler = b'<row r="3"><c r="A3" t="inlineStr"><is><t>'
    far = b'</t></is></c><c r="XFC3" t="inlineStr"><is><t>x</t></is></c></row>'
    split_at = 256 * 1024 - len(head) - len(filler) - len(b'</t></is></c><c r="XF')
    sheet = head + filler + b"y" * split_at + far + b"</sheetData>" + tail
    assert sheet.index(b'r="XFC3"') < 256 * 1024 < sheet.index(b'r="XFC3"') + 8
    with pytest.raises(UploadRefused) as refused:
        check_xlsx(rezip(base, replace={SHEET: sheet}), Limits(max_columns=50))
    assert refused.value.problem.params["column"] == "XFC"


def test_the_marked_up_copy_of_a_wide_file_fills_only_the_headers_width():
    """Even opened without a width limit, the copy marks 200 bad rows in a few cells each."""
    data = xfc_workbook()
    problems = {row: ["证件号码有误"] for row in range(2, 202)}
    marked, peak = peak_memory(lambda: annotate_errors(data, problems, header_row=1))
    assert peak < MEMORY_LIMIT / 4, f"{peak / 1e6:.0f} MB"
    sheet = open_workbook(marked).active
    assert sheet.cell(1, 16_384).value == ERRORS_HEADER
    filled = [cell.column for cell in sheet[3] if cell.fill.fgColor.rgb == "FFFFC7CE"]
    assert filled == [*range(1, len(GOOD_HEADER) + 1), 16_384]


def test_a_file_read_for_a_narrow_import_is_marked_up_under_the_same_limits(event):
    """The report opens the upload again under the limits it was read with."""
    from competition.services import imports
    rows = [GOOD_HEADER] + [GOOD_ROW[:5] + ["bad"] + GOOD_ROW[6:]] * 3
    report = imports.run("contestants", event, workbook(("Sheet", rows)))
    assert not report.ok and report.limits.max_columns == len(imports.IMPORTERS["contestants"].columns) \
        + COLUMN_MARGIN
    assert report.annotated_base64(str)
