"""Marks from paper sheets: an Excel file of (trade, entrant, aspect, judge, mark) rows.

All-or-nothing, like every import: every row is checked with the same rule as a judge's own sheet
(:func:`competition.domain.panel.cell_problem`: the judge assigned to the trade, the trade open,
no recusal) and the aspect's limits, nothing is written while any row has a problem, and the
marks are written by the one writer of marks (:func:`competition.services.judging.record_marks`). The entrant is named by its anonymous
code, a member's competitor number, or its draw number, tried in that order. A mark already
stored is replaced (and logged with the file's name as the reason); the same mark is left alone.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from competition.domain.aggregation import validate_mark
from competition.domain.messages import N_, Problem
from competition.domain.panel import CellKey, Panel, Scorer, cell_problem
from competition.extensions import db
from competition.models import Aspect, Contestant, Criterion, Entrant, Event, Trade, User
from competition.services import judging
from competition.services.errors import NotAllowed
from competition.services.imports.report import REQUIRED, ImportReport, read_upload, text
from competition.spreadsheets.reader import Column
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

    def entrant(self, trade: Trade, name: str) -> int | None:
        found = self.trade_parts(trade)[1]
        key = name.upper()
        return found["code"].get(key) or found["number"].get(key) or found["draw"].get(key)


def import_scores(event: Event, data: bytes, actor: User | None, source: str = "") -> ImportReport:
    """Check every row, then write all the marks in one transaction, or none."""
    report = ImportReport()
    table = read_upload(data, COLUMNS, report)
    if table is None:
        return report
    lookup = _Lookup(event)
    changes: list[judging.MarkChange] = []
    seen: dict[CellKey, int] = {}
    for row in table.rows:
        values = {k: text(v) for k, v in row.values.items()}
        missing = [k for k in ("trade", "entrant", "aspect", "judge", "mark") if not values.get(k)]
        for key in missing:
            report.add(row.number, Problem(REQUIRED), key)
        if missing:
            continue
        trade = lookup.trades.get(values["trade"].upper())
        if trade is None:
            report.add(row.number, Problem(N_("No trade %(code)s in this event."),
                                           {"code": values["trade"]}), "trade")
            continue
        aspects, _entrants, panel = lookup.trade_parts(trade)
        entrant_id = lookup.entrant(trade, values["entrant"])
        matches = aspects.get(values["aspect"].upper(), [])
        judge = lookup.judges.get(values["judge"])
        bad = False
        if entrant_id is None:
            report.add(row.number, Problem(N_("No entrant %(name)s in trade %(trade)s."),
                                           {"name": values["entrant"], "trade": trade.code}),
                       "entrant")
            bad = True
        if len(matches) != 1:
            report.add(row.number, Problem(
                N_("No aspect %(code)s in trade %(trade)s.") if not matches else
                N_("Aspect code %(code)s is ambiguous in trade %(trade)s: write criterion/aspect."),
                {"code": values["aspect"], "trade": trade.code}), "aspect")
            bad = True
        if judge is None:
            report.add(row.number, Problem(N_("No judge with username %(name)s."),
                                           {"name": values["judge"]}), "judge")
            bad = True
        if bad:
            continue
        aspect = matches[0]
        key = CellKey(judge.id, entrant_id, aspect.id)
        if problem := cell_problem(panel, Scorer(judge.id, judge.role), key,
                                   {a[0].id for a in aspects.values()}, trade.status):
            report.add(row.number, problem, "judge")
            continue
        value = judging.parse_mark(values["mark"])
        if isinstance(value, Problem) or value is None:
            report.add(row.number, value or Problem(REQUIRED), "mark")
            continue
        if problem := validate_mark(aspect.spec(), value):
            report.add(row.number, problem, "mark")
            continue
        if key in seen:
            report.add(row.number, Problem(N_("The same mark is given in row %(row)s."),
                                           {"row": seen[key]}), "mark")
            continue
        seen[key] = row.number
        changes.append(judging.MarkChange(key, trade.id, value, None, values["mark"]))
    if not report.ok or not changes:
        return report
    _write(event, actor, changes, report, source)
    return report


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
