"""Read one table out of an uploaded workbook, whatever language its headers are in.

An import names the columns it wants (:class:`Column`), each with the header texts it accepts in
Chinese and English. :func:`read_table` finds the header row, maps the columns by header text (so
their order and any extra columns do not matter) and returns the data rows as plain dictionaries
keyed by column, with the 1-based Excel row number so that every problem can point at the row the
user sees. It checks nothing about the values: that is the caller's business.
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from competition.domain.messages import N_, Problem
from competition.spreadsheets.safety import Limits, UploadRefused, check_xlsx

HEADER_SEARCH_ROWS = 10

# What a reader of the sheet is told when the sheet itself is unusable (row problems are the
# imports' own).
(MSG_UNREADABLE, MSG_NO_SHEET, MSG_NO_WORKSHEET, MSG_NO_HEADER, MSG_MISSING_COLUMN,
 MSG_DUPLICATE_COLUMN, MSG_TOO_MANY_ROWS) = (
    N_("The file could not be read as an Excel workbook. Open it in Excel, save it again as an "
       "Excel workbook (.xlsx) and retry."),
    N_("The workbook has no sheet named %(sheet)s."),
    N_("The workbook has no worksheet."),
    N_("No header row was found in the first %(rows)s rows. The columns should be titled: "
       "%(expected)s."),
    N_("The required column %(column)s is missing (header row %(row)s)."),
    N_("The column %(column)s appears more than once (columns %(letters)s of header row "
       "%(row)s)."),
    N_("The sheet has more than %(limit)s rows of data (row %(row)s and after). Split it into "
       "smaller files."))

# Markers templates put on a header to say whether it must be filled; compared after _normalise.
_MARKERS = re.compile(r"^\*+|\*+$|\((必填|选填|required|optional)\)$")
_SPACES = re.compile(r"\s+")


def normalise_header(text: object) -> str:
    """A header text reduced for comparison.

    Full-width forms become half-width (NFKC), case and all white space are dropped, and a
    leading or trailing ``*`` or a trailing ``(必填)``, ``(选填)``, ``(required)`` or ``(optional)``
    is removed: ``" 姓名（必填）"``, ``"*姓名"`` and ``"姓 名"`` all read ``"姓名"``.
    """
    if text is None:
        return ""
    result = _SPACES.sub("", unicodedata.normalize("NFKC", str(text))).casefold()
    while (stripped := _MARKERS.sub("", result)) != result:
        result = stripped
    return result


@dataclass(frozen=True)
class Column:
    """A column an import wants.

    ``headers`` are the header texts accepted for it (Chinese and English, as written in the
    template); ``as_text`` asks for the value as a string whatever the cell holds, so that a
    phone number Excel stored as the number 13800138000.0 reads ``"13800138000"``.
    """

    key: str
    headers: tuple[str, ...]
    required: bool = True
    as_text: bool = False

    @property
    def label(self) -> str:
        """The accepted headers as shown in a message: ``"姓名 / Name"``."""
        return " / ".join(self.headers)


@dataclass(frozen=True)
class Row:
    """One data row: its 1-based Excel row number and its values by column key (blank: ``None``)."""

    number: int
    values: dict[str, object]


@dataclass
class Table:
    """What :func:`read_table` found: data rows, problems with the sheet's layout, the header row.

    When ``problems`` is not empty, ``rows`` is empty: a file whose columns cannot be trusted is
    not read further. ``header_row`` is 0 when no header row was found.
    """

    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    header_row: int = 0


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: object) -> str:
    """A cell value as the text the user meant: integral numbers without ``.0``, dates in ISO."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def _clean(value: object, column: Column) -> object:
    if _is_blank(value):
        return None
    if column.as_text:
        return _as_text(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _headers_to_keys(columns: Sequence[Column]) -> dict[str, str]:
    """Normalised header text -> column key (the first column to claim a text keeps it)."""
    by_header: dict[str, str] = {}
    for column in columns:
        for header in column.headers:
            by_header.setdefault(normalise_header(header), column.key)
    return by_header


def _match_header(cells: Sequence[object], by_header: dict[str, str]) -> dict[str, list[int]]:
    """Column key -> the 0-based positions in ``cells`` whose header names that column."""
    found: dict[str, list[int]] = {}
    for position, cell in enumerate(cells):
        key = by_header.get(normalise_header(cell))
        if key is not None:
            found.setdefault(key, []).append(position)
    return found


def _header_problems(
    found: dict[str, list[int]], columns: Sequence[Column], header_row: int
) -> list[Problem]:
    problems = []
    for column in columns:
        positions = found.get(column.key, [])
        if column.required and not positions:
            problems.append(
                Problem(MSG_MISSING_COLUMN, {"column": column.label, "row": header_row}, column.key)
            )
        elif len(positions) > 1:
            letters = ", ".join(get_column_letter(p + 1) for p in positions)
            problems.append(
                Problem(
                    MSG_DUPLICATE_COLUMN,
                    {"column": column.label, "letters": letters, "row": header_row},
                    column.key,
                )
            )
    return problems


# The limits of an upload when the caller names none (Limits is frozen, so one instance serves all).
DEFAULT_LIMITS = Limits()
# Columns a sheet may have beyond those an import reads: a title or notes column, a column of
# row numbers, the columns a delegation added for itself.
COLUMN_MARGIN = 40


def limits_for(columns: Sequence[Column], limits: Limits = DEFAULT_LIMITS) -> Limits:
    """``limits`` with the width a sheet read for ``columns`` may have: those columns plus
    :data:`COLUMN_MARGIN` (never wider than ``limits`` already allows)."""
    return replace(limits, max_columns=min(limits.max_columns, len(columns) + COLUMN_MARGIN))


def read_table(
    data: bytes,
    columns: Sequence[Column],
    sheet: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Table:
    """Read the table on ``sheet`` (default: the first worksheet) of the workbook in ``data``.

    The header row is the first of the first ten rows that names at least half of the required
    columns (so a title row may stand above it). A required column that is missing or any column
    named twice is reported and no rows are returned. Rows whose wanted cells are all blank are
    skipped; strings are stripped and blank ones read ``None``; numbers and dates keep the type
    openpyxl gives them (dates as :class:`datetime.datetime`) unless the column asks ``as_text``.
    More than ``limits.max_rows`` data rows is reported as a problem, with no rows. A workbook
    wider than ``columns`` allow (:func:`limits_for`) is refused before any cell is read.

    Raises :class:`UploadRefused` if :func:`check_xlsx` refuses the file or openpyxl cannot read
    it; nothing else escapes.
    """
    limits = limits_for(columns, limits)
    check_xlsx(data, limits)
    try:
        with warnings.catch_warnings():
            # openpyxl warns about workbook features it ignores (extensions, default styles);
            # they do not matter for reading values.
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
            workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
            try:
                return _read_sheet(workbook, columns, sheet, limits)
            finally:
                workbook.close()
    except UploadRefused:
        raise
    except Exception:  # openpyxl, zipfile and XML errors alike: the file is not readable
        raise UploadRefused(Problem(MSG_UNREADABLE)) from None


def _read_sheet(
    workbook: Workbook, columns: Sequence[Column], sheet: str | None, limits: Limits
) -> Table:
    if sheet is not None:
        if sheet not in workbook.sheetnames:
            return Table(problems=[Problem(MSG_NO_SHEET, {"sheet": sheet, "row": 0})])
        worksheet = workbook[sheet]
    elif workbook.worksheets:
        worksheet = workbook.worksheets[0]
    else:
        return Table(problems=[Problem(MSG_NO_WORKSHEET, {"row": 0})])
    # The dimension recorded in the file may be wrong (some generators never update it); without
    # it openpyxl reads every row that is there.
    worksheet.reset_dimensions()

    required = [c for c in columns if c.required]
    threshold = max(1, math.ceil(len(required) / 2))
    required_keys = {c.key for c in required}
    by_header = _headers_to_keys(columns)
    header_row = 0
    positions: dict[str, int] = {}
    table = Table()
    for number, cells in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if not header_row:
            if number > HEADER_SEARCH_ROWS:
                break
            found = _match_header(cells, by_header)
            matched = len(found.keys() & required_keys) if required_keys else len(found)
            if matched >= threshold:
                header_row = table.header_row = number
                table.problems = _header_problems(found, columns, number)
                if table.problems:
                    return table
                positions = {key: places[0] for key, places in found.items()}
            continue
        values = {
            column.key: _clean(cells[positions[column.key]], column)
            if column.key in positions and positions[column.key] < len(cells)
            else None
            for column in columns
        }
        if all(value is None for value in values.values()):
            continue
        if len(table.rows) >= limits.max_rows:
            table.rows = []
            table.problems = [Problem(MSG_TOO_MANY_ROWS, {"limit": limits.max_rows, "row": number})]
            return table
        table.rows.append(Row(number, values))
    if not header_row:
        expected = "; ".join(c.label for c in (required or columns))
        table.problems = [
            Problem(MSG_NO_HEADER, {"rows": HEADER_SEARCH_ROWS, "expected": expected, "row": 0})
        ]
    return table


def read_grids(data: bytes, limits: Limits = DEFAULT_LIMITS,
               head: int | None = None) -> dict[str, list[tuple]]:
    """Every worksheet's rows as plain values (title → rows, the first ``head`` rows only when
    given), for an import whose layout is fixed cells rather than one table. Numbers and dates
    keep the type openpyxl gives them; text is as written. More rows than ``limits.max_rows``
    is refused like a file too large.

    Raises :class:`UploadRefused` as :func:`read_table` does."""
    check_xlsx(data, limits)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\.|$)")
            workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
            try:
                grids: dict[str, list[tuple]] = {}
                for worksheet in workbook.worksheets:
                    worksheet.reset_dimensions()
                    rows = []
                    for number, cells in enumerate(worksheet.iter_rows(values_only=True), 1):
                        if head is not None and number > head:
                            break
                        if number > limits.max_rows + HEADER_SEARCH_ROWS:
                            raise UploadRefused(Problem(MSG_TOO_MANY_ROWS, {
                                "limit": limits.max_rows, "row": number}))
                        rows.append(tuple(cells))
                    grids[worksheet.title] = rows
                return grids
            finally:
                workbook.close()
    except UploadRefused:
        raise
    except Exception:  # openpyxl, zipfile and XML errors alike: the file is not readable
        raise UploadRefused(Problem(MSG_UNREADABLE)) from None


def cell_text(value: object) -> str:
    """A cell's value as the text the user meant ("" when blank): ``7.0`` reads ``"7"``."""
    return "" if _is_blank(value) else _as_text(value)
