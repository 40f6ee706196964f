"""The printable blank marking sheet: one row per entrant the judge marks, one column per
aspect, to fill by hand and import later (``services.imports.scores``). Under blind judging it
shows codes only and leaves out the entrants the judge is recused from, as the sheet does."""

from __future__ import annotations

from competition.domain.aggregation import AspectKind
from competition.domain.blind import is_blind
from competition.domain.numbers import format_mark
from competition.models import Trade, User
from competition.services.judging import scheme
from competition.services.judging.sheets import entrant_lines, marked_by
from competition.spreadsheets.writer import SheetSpec, write_workbook


def blank_sheet(trade: Trade, viewer: User, translate, locale: str = "zh") -> bytes:
    """A blank marking sheet for the trade as Excel, one row per competing entrant and one
    column per aspect (code and maximum), to fill by hand and import later."""
    aspects = scheme.aspects(trade)
    lines = marked_by(viewer, trade, entrant_lines(trade, viewer, locale=locale))[0]
    blind = is_blind(trade.uses_anonymous_codes, trade.codes_revealed)
    headers = [translate("Code") if blind else translate("Number")]
    if not blind:
        headers.append(translate("Entrant"))
    headers += [f"{a.criterion.code}/{a.code} "
                f"({format_mark(a.max_mark) if a.kind != AspectKind.JUDGEMENT else '0-3'})"
                for a in aspects]
    rows = [[line.label] + ([] if blind else [line.name]) + [""] * len(aspects) for line in lines]
    return write_workbook([SheetSpec(
        title=trade.code, headers=headers, rows=rows, title_lines=[
            f"{trade.code} {trade.name(locale)}",
            translate("Judge:") + " ____________    " + translate("Signature:")
            + " ____________    " + translate("Date:") + " ____________"],
        widths=[10] + ([] if blind else [16]) + [12] * len(aspects))])
