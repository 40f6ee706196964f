"""The one writer behind every Excel export, and the annotated error report for imports.

An export is described as data (:class:`SheetSpec`: title, headers, rows) and written by
:func:`write_workbook`, which owns the layout every export shares: title lines, a bold header,
frozen panes and print titles below it, A4 page set-up fitted to the width, column widths and
number formats. Every value goes through :func:`safe_cell`, so no cell is ever a formula.

Why text is never run as a formula: openpyxl turns any string starting with ``=`` into a formula
and ``#N/A`` and the like into error cells. :func:`safe_cell` stores every string as a string
cell (``data_type == "s"``, written inline), which Excel shows as text and never evaluates, and
marks text starting with ``= + - @``, a tab or a line break with Excel's "quote prefix" style, the
hidden apostrophe Excel itself uses, so that the cell stays text even after someone edits it. A
literal leading apostrophe was rejected: it would become part of the text and change it.
Re-opened with openpyxl, the cell gives back the original text, with ``data_type == "s"``.
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from itertools import chain, islice
from typing import BinaryIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from competition.domain.messages import Problem
from competition.spreadsheets.safety import MSG_CORRUPT, Limits, UploadRefused, check_xlsx

ERRORS_HEADER = "错误 / Errors"
WIDTH_SAMPLE_ROWS = 200
MIN_WIDTH = 6.0
MAX_WIDTH = 60.0
MAX_TEXT = 32_767  # Excel's limit on the characters in one cell

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Characters XML 1.0 cannot hold at all; openpyxl raises IllegalCharacterError on most of them
# and writes the rest into a file no XML parser will read back.
_XML_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_PLAIN_TYPES = (bool, int, float, Decimal, datetime, date, time, timedelta)

_BOLD = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2")
_ERROR_FILL = PatternFill("solid", start_color="FFFFC7CE")
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class SheetSpec:
    """One sheet of an export.

    ``widths`` are column widths in Excel's units (missing ones are estimated); ``number_formats``
    maps a 0-based column index to an Excel number format for that column's data cells;
    ``title_lines`` are written in bold above the header row, each a text (one cell) or a list
    or tuple of cells.
    """

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]
    widths: Sequence[float] | None = None
    number_formats: Mapping[int, str] | None = None
    title_lines: Sequence[object] = ()
    landscape: bool = True


def clean_text(text: str) -> str:
    """``text`` as a cell can hold it: line breaks as ``\\n`` (XML reads a CR back as LF anyway),
    characters XML cannot carry removed, at most 32,767 characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", text)[:MAX_TEXT]


def _storable(value: object) -> object:
    """``value`` as a type openpyxl stores faithfully; anything else becomes its text."""
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (datetime, time)) and value.tzinfo is not None:
        # Excel has no time zones; keep the wall-clock time the caller chose to show.
        return value.replace(tzinfo=None)
    if isinstance(value, _PLAIN_TYPES):
        return value
    return clean_text(str(value))


def _store(cell: Cell, value: object) -> Cell:
    """Put ``value`` in ``cell`` so that Excel can never run it (see the module docstring)."""
    value = _storable(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def safe_cell(value: object, sheet: WriteOnlyWorksheet) -> object:
    """``value`` ready to append to the write-only ``sheet``, stored so Excel never runs it.

    Strings come back as a cell forced to text (quote-prefixed when they start like a formula),
    with illegal characters removed; numbers, dates and ``None`` come back unchanged; any other
    object (a lazy translation, an enum) is written as its text.
    """
    value = _storable(value)
    if isinstance(value, str):
        return _store(WriteOnlyCell(sheet), value)
    return value


def sanitise_title(title: str, taken: Iterable[str] = ()) -> str:
    """A sheet title Excel accepts: no ``[]:*?/\\``, no quote at either end, at most 31
    characters, not the reserved "History", and unlike every title in ``taken`` (ignoring
    case), with `` (2)``, `` (3)`` ... added when needed."""
    base = _TITLE_FORBIDDEN.sub("_", title).strip().strip("'").strip() or "Sheet"
    if base.casefold() == "history":
        base = f"{base} 1"
    used = {t.casefold() for t in taken}
    candidate, number = base[:31], 2
    while candidate.casefold() in used:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    return candidate


def display_width(value: object) -> int:
    """How many Excel width units ``value`` needs: its longest line, CJK characters counting two."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 10
    text = value if isinstance(value, str) else str(value)
    return max(
        sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        for line in text.split("\n")
    )


def _widths(spec: SheetSpec, sample: Sequence[Sequence[object]]) -> list[float]:
    given = list(spec.widths or ())
    widths = []
    for index, header in enumerate(spec.headers):
        if index < len(given) and given[index]:
            widths.append(float(given[index]))
            continue
        needed = max(
            [display_width(header)]
            + [display_width(row[index]) for row in sample if index < len(row)]
        )
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, needed + 2.0)))
    return widths


def _set_up_page(sheet: WriteOnlyWorksheet, spec: SheetSpec, header_row: int) -> None:
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape" if spec.landscape else "portrait"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _styled(
    sheet: WriteOnlyWorksheet,
    value: object,
    font: Font | None = None,
    fill: PatternFill | None = None,
) -> Cell:
    cell = _store(WriteOnlyCell(sheet), value)
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    return cell


def _data_row(
    sheet: WriteOnlyWorksheet, row: Sequence[object], formats: Mapping[int, str]
) -> list[object]:
    values = []
    for index, value in enumerate(row):
        if index in formats and value is not None:
            cell = _store(WriteOnlyCell(sheet), value)
            cell.number_format = formats[index]
            values.append(cell)
        else:
            values.append(safe_cell(value, sheet))
    return values


def _write_sheet(workbook: Workbook, spec: SheetSpec, taken: list[str]) -> None:
    title = sanitise_title(spec.title, taken)
    taken.append(title)
    sheet = workbook.create_sheet(title)
    rows: Iterator[Sequence[object]] = iter(spec.rows)
    sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    # A write-only sheet takes its layout before its first row.
    for index, width in enumerate(_widths(spec, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    header_row = len(spec.title_lines) + 1
    _set_up_page(sheet, spec, header_row)

    for number, line in enumerate(spec.title_lines):
        cells = line if isinstance(line, (list, tuple)) else [line]
        sheet.append([_styled(sheet, value, _TITLE_FONT if number == 0 else _BOLD)
                      for value in cells])
    sheet.append([_styled(sheet, header, _BOLD, _HEADER_FILL) for header in spec.headers])
    formats = dict(spec.number_formats or {})
    for row in chain(sample, rows):
        sheet.append(_data_row(sheet, row, formats))


def write_workbook(sheets: Iterable[SheetSpec], out: BinaryIO | None = None) -> bytes | None:
    """Write ``sheets`` as one ``.xlsx`` workbook, streaming rows (openpyxl write-only mode).

    Returns the workbook's bytes, or writes them to ``out`` and returns ``None``. Sheet titles
    are made valid and unique (:func:`sanitise_title`); a workbook needs at least one sheet, so
    an empty ``sheets`` gives one empty sheet.
    """
    workbook = Workbook(write_only=True)
    taken: list[str] = []
    for spec in sheets:
        _write_sheet(workbook, spec, taken)
    if not taken:
        _write_sheet(workbook, SheetSpec("Sheet", (), ()), taken)
    if out is not None:
        workbook.save(out)
        return None
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_UPLOAD_LIMITS = Limits()


def annotate_errors(
    data: bytes, problems_by_row: Mapping[int, Sequence[str]], header_row: int,
    limits: Limits = _UPLOAD_LIMITS,
) -> bytes:
    """A copy of the uploaded workbook ``data`` marked up for the user to fix.

    On the first sheet, a column headed "错误 / Errors" (reused if the file already has one from
    an earlier report, its old marks cleared) gives the reasons for each row in
    ``problems_by_row`` (1-based Excel row number -> translated messages), one per line, and
    those rows are filled light red as far as the header reaches. ``data`` is checked again
    with :func:`~competition.spreadsheets.safety.check_xlsx` under ``limits`` (those it was read
    with) before it is opened; raises
    :class:`~competition.spreadsheets.safety.UploadRefused` if it cannot be.

    Only the header's width and the errors column are filled: a stray cell far to the right
    costs one cell, not a row of them.
    """
    check_xlsx(data, limits)
    buffer = BytesIO()
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
            workbook = load_workbook(BytesIO(data))
            _mark_rows(workbook.worksheets[0], problems_by_row, max(header_row, 1))
            workbook.save(buffer)
    except Exception:  # whatever openpyxl, zipfile or the XML parser raise on a strange file
        raise UploadRefused(Problem(MSG_CORRUPT)) from None
    return buffer.getvalue()


def _mark_rows(sheet: Worksheet, problems_by_row: Mapping[int, Sequence[str]], header: int) -> None:
    column, width = _errors_column(sheet, header)
    _store(sheet.cell(header, column), ERRORS_HEADER).font = _BOLD
    sheet.column_dimensions[get_column_letter(column)].width = MAX_WIDTH
    for number, messages in sorted(problems_by_row.items()):
        if not messages:
            continue
        cell = _store(sheet.cell(number, column), "\n".join(messages))
        cell.alignment = _WRAP
        for fill_column in (*range(1, width + 1), column):
            sheet.cell(number, fill_column).fill = _ERROR_FILL


def _errors_column(sheet: Worksheet, header_row: int) -> tuple[int, int]:
    """(the errors column, the width of the header before it): the column of an earlier report
    (its marks and fills cleared), or the next free one."""
    headers = [cell for cell in sheet[header_row] if cell.value is not None]
    earlier = next((cell.column for cell in headers if cell.value == ERRORS_HEADER), None)
    width = max((cell.column for cell in headers if cell.column != earlier), default=1)
    if earlier is None:
        return sheet.max_column + 1, width
    for row in range(header_row + 1, sheet.max_row + 1):
        old = sheet.cell(row, earlier)
        if old.value is None:
            continue
        old.value = None
        for fill_column in (*range(1, width + 1), earlier):
            if sheet.cell(row, fill_column).fill == _ERROR_FILL:
                sheet.cell(row, fill_column).fill = PatternFill()
    return earlier, width
