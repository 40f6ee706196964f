"""The printable blank marking sheet, one worksheet per judge, to fill by hand and import back
(``services.imports`` reads the same layout as a score import).

The layout, which the import relies on (:data:`LAYOUT`):

1. the title: trade code and name;
2. the key row: "trade code" and the code in B, "judge" and the judge's name in D, "username"
   and the judge's username in F;
3. the aspects' descriptions, above their columns;
4. the header: the entrant label ("code" under blind judging, else the draw number), the
   entrant's name when not blind, then one column per aspect headed ``CRITERION/ASPECT (max)``;
5. one row per entrant the judge marks, then an empty row and the signature block (each line
   one cell in column A).

Under blind judging it shows codes only and leaves out the entrants the judge is recused from,
as the judge's sheet does; otherwise a recused entrant is listed with "recused" by the name.
An organizer's download carries a sheet for every judge who scores the trade; a judge's, only
their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from competition.domain.aggregation import AspectKind
from competition.domain.blind import is_blind
from competition.domain.messages import N_
from competition.domain.numbers import format_mark
from competition.domain.roles import scores
from competition.extensions import db
from competition.models import Trade, User
from competition.services.judging import scheme
from competition.services.judging.panel import load_panel
from competition.services.judging.sheets import entrant_lines, marked_by
from competition.spreadsheets.writer import SheetSpec, write_workbook


@dataclass(frozen=True)
class BlankLayout:
    """Where the import finds what the sheet says: 1-based rows, 0-based cells of the key row
    (the entrant label is the first cell of each row below the header)."""

    key_row: int = 2
    trade_cell: int = 1
    username_cell: int = 5
    header_row: int = 4


LAYOUT = BlankLayout()

SHEET_TITLE = N_("Marking sheet")
TRADE_CODE = N_("Trade code")
JUDGE = N_("Judge")
USERNAME = N_("Username")
DESCRIPTION = N_("Aspect")
CODE = N_("Code")
NUMBER = N_("Number")
ENTRANT = N_("Entrant")
RECUSED = N_("recused")
JUDGE_SIGNATURE = N_("Judge's signature:")
CHIEF_SIGNATURE = N_("Chief judge's signature:")
DATE = N_("Date:")


def aspect_header(criterion_code: str, aspect_code: str, kind: str, max_mark) -> str:
    """An aspect's column header: ``CRITERION/ASPECT (max)``, a judgement aspect ``(0-3)``."""
    limits = "0-3" if kind == AspectKind.JUDGEMENT else format_mark(max_mark)
    return f"{criterion_code}/{aspect_code} ({limits})"


def blank_sheet(trade: Trade, viewer: User, translate, locale: str = "zh") -> bytes:
    """The blank marking sheets of the trade as Excel: the viewer's own when a judge, else one
    per judge who scores the trade (see the module docstring for the layout)."""
    if scores(viewer.role):
        judges = [viewer]
    else:
        ids = load_panel(trade).scorers
        judges = list(db.session.scalars(sa.select(User).where(User.id.in_(ids))
                                         .order_by(User.name, User.username))) if ids else []
    aspects = scheme.aspects(trade)
    return write_workbook([_judge_sheet(trade, judge, aspects, translate, locale)
                           for judge in judges or [None]])


def _judge_sheet(trade: Trade, judge: User | None, aspects, translate, locale: str) -> SheetSpec:
    blind = is_blind(trade.uses_anonymous_codes, trade.codes_revealed)
    lines, recused = marked_by(judge, trade, entrant_lines(trade, judge, locale=locale)) \
        if judge is not None else ([], {})
    lead = [translate(CODE) if blind else translate(NUMBER)] + ([] if blind else [translate(ENTRANT)])
    headers = lead + [aspect_header(a.criterion.code, a.code, a.kind, a.max_mark) for a in aspects]
    rows = [[line.label] + ([] if blind else [
        f"{line.name} ({translate(RECUSED)})" if line.id in recused else line.name])
        + [""] * len(aspects) for line in lines]
    # One cell each, so that no signature or date is ever read as a mark.
    rows += [[], [f"{translate(JUDGE_SIGNATURE)} ________________    {translate(DATE)} __________"],
             [], [f"{translate(CHIEF_SIGNATURE)} ________________    {translate(DATE)} __________"]]
    name = judge.name if judge is not None else ""
    username = judge.username if judge is not None else ""
    return SheetSpec(
        title=f"{trade.code} {username or translate(SHEET_TITLE)}", headers=headers, rows=rows,
        title_lines=[
            f"{trade.code} {trade.name(locale)} · {translate(SHEET_TITLE)}",
            [translate(TRADE_CODE), trade.code, translate(JUDGE), name, translate(USERNAME),
             username],
            [translate(DESCRIPTION)] + [""] * (len(lead) - 1)
            + [a.description(locale) for a in aspects]],
        widths=[12] + ([] if blind else [18]) + [14] * len(aspects))
