"""Marks from paper sheets: an Excel file of (trade, entrant, aspect, judge, mark) rows, written
at once (:func:`run`), or the judges' blank marking sheets filled in, checked here
(:func:`check_paper`: :mod:`.paper` reads them into the same rows) and kept for a second
person's confirmation by :mod:`.entries` (two-person entry).

All-or-nothing, like every import: every row is checked with the same rule as a judge's own sheet
(:func:`competition.domain.panel.cell_problem`: the judge assigned to the trade, the trade open,
no recusal) and the aspect's limits, nothing is written while any row has a problem, and the
marks are written by the one writer of marks (:func:`competition.services.judging.record_marks`).
The entrant is named by its anonymous code, a member's competitor number, or its draw number,
tried in that order. A mark already stored is replaced (and logged with the file's name as the
reason); the same mark is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from competition.domain.aggregation import validate_mark
from competition.domain.messages import N_, Problem
from competition.domain.panel import CellKey, Panel, Scorer, cell_problem
from competition.extensions import db
from competition.models import Aspect, Contestant, Criterion, Entrant, Event, Trade, User
from competition.services import judging
from competition.services.errors import NotAllowed
from competition.services.imports import paper
from competition.services.imports.report import (
    IN_THE_REQUEST,
    REQUIRED,
    ImportReport,
    Options,
    RowProblem,
    check_rows,
    text,
)
from competition.spreadsheets.reader import Column
from competition.spreadsheets.safety import UploadRefused
from competition.spreadsheets.writer import SheetSpec, write_workbook

COLUMNS = (
    Column("trade", ("赛项编号", "赛项", "Trade code", "Trade")),
    Column("entrant", ("参赛编号", "选手编号", "加密号", "抽签号", "Entrant", "Entrant number",
                       "Code"), as_text=True),
    Column("aspect", ("评分要素编号", "评分要素", "Aspect code", "Aspect"), as_text=True),
    Column("judge", ("裁判用户名", "裁判", "Judge username", "Judge")),
    Column("mark", ("分数", "得分", "Mark", "Score"), as_text=True),
)


class _Lookup:
    """The event's trades, aspects, entrants and judges, loaded once per import."""

    def __init__(self, event: Event):
        self.trades = {t.code.upper(): t for t in db.session.scalars(
            sa.select(Trade).where(Trade.event_id == event.id))}
        self.judges = {u.username: u for u in db.session.scalars(
            sa.select(User).where(User.event_id == event.id))}
        self.aspects: dict[int, dict[str, list[Aspect]]] = {}
        self.entrants: dict[int, dict[str, dict[str, int]]] = {}
        self.panels: dict[int, Panel] = {}

    def trade_parts(self, trade: Trade):
        if trade.id not in self.aspects:
            by_code: dict[str, list[Aspect]] = {}
            for aspect, criterion_code in db.session.execute(
                    sa.select(Aspect, Criterion.code).join(Criterion)
                    .where(Criterion.trade_id == trade.id)):
                by_code.setdefault(aspect.code.upper(), []).append(aspect)
                by_code.setdefault(f"{criterion_code}/{aspect.code}".upper(), []).append(aspect)
            self.aspects[trade.id] = by_code
            entrants = db.session.execute(sa.select(Entrant.id, Entrant.anonymous_code,
                                                    Entrant.draw_number)
                                          .where(Entrant.trade_id == trade.id)).all()
            numbers = db.session.execute(sa.select(Contestant.competitor_number,
                                                   Contestant.entrant_id)
                                         .where(Contestant.trade_id == trade.id)).all()
            self.entrants[trade.id] = {
                "code": {e.anonymous_code.upper(): e.id for e in entrants if e.anonymous_code},
                "number": {n.upper(): e for n, e in numbers},
                "draw": {str(e.draw_number): e.id for e in entrants if e.draw_number is not None},
            }
            self.panels[trade.id] = judging.load_panel(trade)
        return self.aspects[trade.id], self.entrants[trade.id], self.panels[trade.id]

    def entrant(self, trade: Trade, name: str,
                kinds: tuple[str, ...] = ("code", "number", "draw")) -> int | None:
        """The entrant ``name`` names: its code, competitor number or draw number (``kinds``,
        tried in that order)."""
        found = self.trade_parts(trade)[1]
        key = name.upper()
        return next((found[kind][key] for kind in kinds if key in found[kind]), None)


TITLE = N_("Import marks from paper sheets")
HELP = N_("One row per mark: trade code, entrant (anonymous code, competitor number or draw "
          "number), aspect code, judge's username, mark. Or upload the judges' blank marking "
          "sheets as downloaded, with the marks filled in (keep the rows above the header as "
          "they are; empty cells are skipped): they count once a second person confirms them "
          "on the paper entries page. A file with any bad row or cell imports nothing.")
NO_MARKS = N_("No marks are filled in on the marking sheet: nothing to import.")


def run(event: Event, data: bytes, actor: User | None = None, source: str = "",
        _options: Options = IN_THE_REQUEST) -> ImportReport:
    """Check every row, then write all the marks in one transaction, or none (through the one
    writer of marks, which commits itself: this import is never left to a job). A filled
    marking sheet is not written here: :mod:`.entries` keeps it for a second person."""
    report = ImportReport()
    rows = _ScoreRows(_Lookup(event), report)
    if check_rows(data, COLUMNS, report, rows.add) and rows.changes:
        _write(event, actor, rows.changes, report, source)
    return report


@dataclass(frozen=True)
class PaperMark:
    """One filled cell of a marking sheet, checked: the mark to write and where the sheet has
    it (its row and the aspect's column)."""

    change: judging.MarkChange
    row: int
    column: str


def check_paper(event: Event, data: bytes) -> tuple[ImportReport, list[PaperMark]]:
    """Check every filled cell of the upload's marking sheets as a row of this import (each
    problem named by the sheet's row and the aspect's column): the report, and the marks when
    every cell passed (else none)."""
    report = ImportReport()
    rows = _ScoreRows(_Lookup(event), report, paper.ENTRANT_KINDS)
    report.data, report.limits = data, paper.LIMITS
    report.header_row = judging.BLANK_LAYOUT.header_row
    try:
        sheets = paper.read(data, set(rows.lookup.trades))
    except UploadRefused as refusal:
        report.add(None, refusal.problem)
        return report, []
    report.annotatable = len(sheets) == 1 and sheets[0].first
    places = []
    for sheet in sheets:
        for mark in sheet.marks:
            before = len(report.problems)
            rows.add(mark.row)
            report.problems[before:] = [
                RowProblem(p.row, mark.column if p.column in ("mark", "aspect") else p.column,
                           p.problem) for p in report.problems[before:]]
            places.append((mark.row.number, mark.column))
    report.rows = len(places)
    if not report.rows:
        report.add(None, Problem(NO_MARKS))
    if not report.ok:
        return report, []
    return report, [PaperMark(c, row, column) for c, (row, column) in zip(rows.changes, places,
                                                                          strict=True)]


def cell_refusal(event: Event, changes: list[judging.MarkChange]) -> Problem | None:
    """The first reason the judge of a change may no longer mark its cell (taken off the panel,
    recused meanwhile, the trade no longer open): the check of :class:`_ScoreRows` again, for
    marks checked earlier (a paper entry being confirmed)."""
    lookup = _Lookup(event)
    trades = {t.id: t for t in lookup.trades.values()}
    judges = {u.id: u for u in lookup.judges.values()}
    for change in changes:
        trade, judge = trades[change.trade_id], judges.get(change.key.judge_id)
        aspects, _entrants, panel = lookup.trade_parts(trade)
        if judge is None:
            return Problem(N_("No judge with username %(name)s."), {"name": "?"})
        if problem := cell_problem(panel, Scorer(judge.id, judge.role), change.key,
                                   {a[0].id for a in aspects.values()}, trade.status):
            return problem
    return None


def is_paper(event: Event, data: bytes) -> bool:
    """Whether the upload is filled marking sheets of the event's trades."""
    codes = set(db.session.scalars(sa.select(sa.func.upper(Trade.code))
                                   .where(Trade.event_id == event.id)))
    return paper.is_paper(data, codes)


class _ScoreRows:
    """The rows of one import checked so far; ``changes`` holds the marks to write.

    A row stops at its first failed step: the cells all filled, the trade, then the entrant,
    aspect and judge (each reported), the cell open to that judge, the mark, no mark twice.
    """

    def __init__(self, lookup: _Lookup, report: ImportReport,
                 entrant_kinds: tuple[str, ...] = ("code", "number", "draw")):
        self.lookup = lookup
        self.report = report
        self.entrant_kinds = entrant_kinds
        self.changes: list[judging.MarkChange] = []
        self.seen: dict[CellKey, int] = {}

    def add(self, row) -> None:
        values = {k: text(v) for k, v in row.values.items()}
        if not self._complete(row.number, values):
            return
        trade = self.lookup.trades.get(values["trade"].upper())
        if trade is None:
            self.report.add(row.number, Problem(N_("No trade %(code)s in this event."),
                                                {"code": values["trade"]}), "trade")
            return
        cell = self._cell(row.number, values, trade)
        if cell is None:
            return
        key, aspect = cell
        value = self._value(row.number, values, aspect)
        if value is None:
            return
        if key in self.seen:
            self.report.add(row.number, Problem(N_("The same mark is given in row %(row)s."),
                                                {"row": self.seen[key]}), "mark")
            return
        self.seen[key] = row.number
        self.changes.append(judging.MarkChange(key, trade.id, value, None, values["mark"]))

    def _complete(self, number: int, values: dict[str, str]) -> bool:
        """Whether every cell of the row is filled; each empty one is reported."""
        missing = [k for k in ("trade", "entrant", "aspect", "judge", "mark") if not values.get(k)]
        for key in missing:
            self.report.add(number, Problem(REQUIRED), key)
        return not missing

    def _cell(self, number: int, values: dict[str, str], trade: Trade) -> tuple[CellKey, Aspect] | None:
        """The cell the row marks and its aspect, if the judge may mark it (as on the judge's
        own sheet); None once the problems are reported."""
        aspects, _entrants, panel = self.lookup.trade_parts(trade)
        entrant_id = self.lookup.entrant(trade, values["entrant"], self.entrant_kinds)
        matches = aspects.get(values["aspect"].upper(), [])
        judge = self.lookup.judges.get(values["judge"])
        if not self._found(number, values, trade, entrant_id, matches, judge):
            return None
        aspect = matches[0]
        key = CellKey(judge.id, entrant_id, aspect.id)
        if problem := cell_problem(panel, Scorer(judge.id, judge.role), key,
                                   {a[0].id for a in aspects.values()}, trade.status):
            self.report.add(number, problem, "judge")
            return None
        return key, aspect

    def _found(self, number: int, values: dict[str, str], trade: Trade, entrant_id: int | None,
               matches: list[Aspect], judge: User | None) -> bool:
        """Whether the entrant, one aspect and the judge were found; each one missing is reported."""
        if entrant_id is None:
            self.report.add(number, Problem(N_("No entrant %(name)s in trade %(trade)s."),
                                            {"name": values["entrant"], "trade": trade.code}),
                            "entrant")
        if len(matches) != 1:
            self.report.add(number, Problem(
                N_("No aspect %(code)s in trade %(trade)s.") if not matches else
                N_("Aspect code %(code)s is ambiguous in trade %(trade)s: write criterion/aspect."),
                {"code": values["aspect"], "trade": trade.code}), "aspect")
        if judge is None:
            self.report.add(number, Problem(N_("No judge with username %(name)s."),
                                            {"name": values["judge"]}), "judge")
        return entrant_id is not None and len(matches) == 1 and judge is not None

    def _value(self, number: int, values: dict[str, str], aspect: Aspect) -> Decimal | None:
        """The row's mark, if it is a number within the aspect's limits; None once reported."""
        value = judging.parse_mark(values["mark"])
        if isinstance(value, Problem) or value is None:
            self.report.add(number, value or Problem(REQUIRED), "mark")
            return None
        if problem := validate_mark(aspect.spec(), value):
            self.report.add(number, problem, "mark")
            return None
        return value


def _write(event: Event, actor: User | None, changes: list[judging.MarkChange],
           report: ImportReport, source: str) -> None:
    current = judging.current_marks([c.key for c in changes])
    try:
        judging.record_marks(actor, event.id, changes, f"import {source}".strip(),
                             check_versions=False)
    except NotAllowed:
        report.add(None, Problem(N_("A trade was closed for scoring meanwhile; nothing was "
                                    "imported.")))
        return
    except judging.StaleCells:
        report.add(None, Problem(N_("Marks changed while importing; nothing was imported. "
                                    "Try again.")))
        return
    report.created = sum(c.key not in current for c in changes)
    report.unchanged = sum(c.key in current and current[c.key][1] == c.value for c in changes)
    report.updated = len(changes) - report.created - report.unchanged


def template(event: Event) -> bytes:
    """An empty import sheet with the headers and one example row per trade's first aspect."""
    rows = []
    for trade in db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)
                                    .order_by(Trade.code).limit(3)):
        aspect = db.session.scalar(sa.select(Aspect).join(Criterion)
                                   .where(Criterion.trade_id == trade.id)
                                   .order_by(Criterion.position, Aspect.position))
        if aspect is not None:
            rows.append([trade.code, "1", aspect.code, "judge-username",
                         Decimal("0") if aspect.kind == "judgement" else aspect.max_mark])
    return write_workbook([SheetSpec(title="分数 Scores",
                                     headers=["赛项编号", "参赛编号", "评分要素编号", "裁判用户名", "分数"],
                                     rows=rows)])
