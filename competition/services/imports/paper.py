"""The blank marking sheet filled in (``services.judging.blank_sheet``) read back as marks.

A worksheet is a marking sheet when its key row names a trade of the event (the layout is
``judging.BLANK_LAYOUT``) and its header row has at least one ``CRITERION/ASPECT`` column. The
judge is the username in the key row; each row below the header, down to the first row with no
entrant label (the signature block follows an empty row), is an entrant named by its label (its
code, else its draw number), and each filled cell under an aspect's column is one mark. Empty
cells are skipped. The marks become the rows of the one-row-per-mark import
(:mod:`competition.services.imports.scores`), which checks and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from openpyxl.utils import get_column_letter

from competition.services import judging
from competition.spreadsheets.reader import DEFAULT_LIMITS, Row, cell_text, read_grids
from competition.spreadsheets.safety import UploadRefused

# A trade's scheme may have more aspects than the row-per-mark import has columns.
LIMITS = replace(DEFAULT_LIMITS, max_columns=300)
# The entrant label of a marking sheet: the code under blind judging, else the draw number.
ENTRANT_KINDS = ("code", "draw")


@dataclass(frozen=True)
class Mark:
    """One filled cell: the row and column the user sees, and the row-per-mark import's values."""

    row: Row
    column: str


@dataclass(frozen=True)
class PaperSheet:
    """A marking sheet of the upload; ``first``: the workbook's first worksheet (the one an
    annotated copy marks up)."""

    title: str
    marks: list[Mark]
    first: bool


def _cell(cells: tuple, position: int) -> str:
    return cell_text(cells[position]) if position < len(cells) else ""


def _aspect_columns(header: tuple) -> dict[int, str]:
    """0-based position → the ``CRITERION/ASPECT`` code its header names (its limits dropped)."""
    found = {}
    for position, value in enumerate(header[1:], start=1):
        code = cell_text(value).split(" (")[0].split("(")[0].strip()
        if "/" in code:
            found[position] = code
    return found


def is_paper(data: bytes, trade_codes: set[str]) -> bool:
    """Whether any worksheet of the upload is a marking sheet of one of ``trade_codes`` (upper
    case); a file that cannot be read is not one (the row-per-mark import reports it)."""
    layout = judging.BLANK_LAYOUT
    try:
        grids = read_grids(data, LIMITS, head=layout.header_row)
    except UploadRefused:
        return False
    return any(_layout_of(rows, trade_codes) for rows in grids.values())


def _layout_of(rows: list[tuple], trade_codes: set[str]) -> tuple[str, str, dict[int, str]] | None:
    """(trade code, username, aspect columns) when ``rows`` are a marking sheet, else None."""
    layout = judging.BLANK_LAYOUT
    if len(rows) < layout.header_row:
        return None
    key = rows[layout.key_row - 1]
    trade = _cell(key, layout.trade_cell)
    columns = _aspect_columns(rows[layout.header_row - 1])
    if trade.upper() not in trade_codes or not columns:
        return None
    return trade, _cell(key, layout.username_cell), columns


def read(data: bytes, trade_codes: set[str]) -> list[PaperSheet]:
    """The marking sheets of the upload with their filled cells (raises
    :class:`UploadRefused`). Each mark's column names the sheet too when there are several."""
    grids = read_grids(data, LIMITS)
    sheets = []
    for index, (title, rows) in enumerate(grids.items()):
        found = _layout_of(rows, trade_codes)
        if found is not None:
            sheets.append((title, rows, found, index == 0))
    named = len(sheets) > 1
    result = []
    for title, rows, (trade, username, columns), first in sheets:
        marks = []
        for number, cells in enumerate(rows[judging.BLANK_LAYOUT.header_row:],
                                       start=judging.BLANK_LAYOUT.header_row + 1):
            label = _cell(cells, 0)
            if not label:
                break
            for position, aspect in columns.items():
                mark = _cell(cells, position)
                if not mark:
                    continue
                where = f"{aspect} ({get_column_letter(position + 1)})"
                marks.append(Mark(Row(number, {"trade": trade, "entrant": label, "aspect": aspect,
                                               "judge": username, "mark": mark}),
                                  f"{title}: {where}" if named else where))
        result.append(PaperSheet(title, marks, first))
    return result
