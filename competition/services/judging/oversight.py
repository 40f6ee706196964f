"""Reading the marks: totals, progress, discrepancies and judge severity, for the chief judge,
supervisors and organizers (the rules are in ``competition.domain.panel`` and
``competition.domain.oversight``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from competition.domain.aggregation import AspectKind, AspectSpec, TradeTotal, trade_total
from competition.domain.entrants import EntrantStatus
from competition.domain.oversight import find_discrepancies, judge_severity, severity_scale
from competition.domain.panel import Panel
from competition.extensions import db
from competition.models import Aspect, Entrant, Score, Trade, User
from competition.services.judging import scheme
from competition.services.judging.panel import load_panel


def _marks(trade: Trade) -> dict[int, dict[int, dict[int, Decimal]]]:
    """entrant id → aspect id → judge id → mark, for every mark of the trade (one query)."""
    found: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for entrant_id, aspect_id, judge_id, value in db.session.execute(
            sa.select(Score.entrant_id, Score.aspect_id, Score.judge_id, Score.value)
            .where(Score.trade_id == trade.id)):
        found[entrant_id][aspect_id][judge_id] = value
    return found


Marks = Mapping[int, Mapping[int, Mapping[int, Decimal]]]


def holders_of(marks: Marks) -> dict[tuple[int, int], set[int]]:
    """(entrant id, aspect id) → the judges with a mark on it, from marks read as
    :func:`_marks` reads them (what the panel rule's own shares need)."""
    return {(e, a): set(by_judge) for e, by_aspect in marks.items()
            for a, by_judge in by_aspect.items()}


def counted(panel: Panel, entrant_id: int, kind: AspectKind, by_judge: Mapping[int, Decimal]) -> int:
    """The marks of one cell that count towards what the trade expects (the panel rule)."""
    return panel.counted(entrant_id, kind, len(by_judge), len(set(by_judge.values())) <= 1)


def trade_totals(trade: Trade) -> dict[int, TradeTotal]:
    """Every entrant's trade total, per-criterion marks and completeness, from all the trade's
    marks (one query for the marks, one for the scheme, a few for the panel). Entrants without
    marks get a total of 0, incomplete."""
    specs = [c.spec() for c in scheme.criteria(trade)]
    every = [a for c in specs for a in c.aspects]
    marks = _marks(trade)
    panel = load_panel(trade)
    totals = {}
    for entrant_id in panel.entrants:
        given = marks.get(entrant_id, {})
        totals[entrant_id] = trade_total(
            specs, {a: list(j.values()) for a, j in given.items()},
            {a.id: panel.needed(entrant_id, a.kind) for a in every})
    return totals


def criterion_marks(trade: Trade) -> dict[int, dict[int, Decimal]]:
    """entrant id → criterion id → criterion mark (see :func:`trade_totals`)."""
    return {entrant_id: total.criteria for entrant_id, total in trade_totals(trade).items()}


@dataclass(frozen=True)
class DiscrepancyRow:
    entrant_id: int
    aspect_id: int
    spread: Decimal
    judge_ids: tuple[int, ...]
    marks: dict[int, Decimal]


def discrepancies(trade: Trade) -> list[DiscrepancyRow]:
    """Every competing entrant's aspect whose judges disagree beyond the rule: measurement
    marks that differ, judgement scores more than the trade's threshold apart (see
    :func:`~competition.domain.aggregation.find_discrepancies`)."""
    aspects = {a.id: a.spec() for a in scheme.aspects(trade)}
    active = set(db.session.scalars(sa.select(Entrant.id).where(
        Entrant.trade_id == trade.id, Entrant.status == EntrantStatus.REGISTERED)))
    return find_rows(aspects, active, _marks(trade), trade.judgement_threshold)


def find_rows(aspects: Mapping[int, AspectSpec], active: Collection[int],
              marks: Mapping[int, Mapping[int, Mapping[int, Decimal]]],
              threshold: Decimal) -> list[DiscrepancyRow]:
    """:func:`discrepancies` over marks already read (entrant id → aspect id → judge id →
    mark) of the ``active`` entrants, on the trade's ``aspects`` (id → spec)."""
    found = []
    for entrant_id, by_aspect in marks.items():
        if entrant_id not in active:
            continue
        for aspect_id, by_judge in by_aspect.items():
            spec = aspects.get(aspect_id)
            if spec is None:
                continue
            if hit := find_discrepancies(spec, by_judge, threshold):
                found.append(DiscrepancyRow(entrant_id, aspect_id, hit.spread, hit.judge_ids,
                                            dict(by_judge)))
    return sorted(found, key=lambda d: (d.entrant_id, d.aspect_id))


@dataclass(frozen=True)
class JudgeProgress:
    judge: User
    is_chief: bool
    entered: int
    expected: int


@dataclass(frozen=True)
class AspectProgress:
    aspect: Aspect
    complete: int
    entrants: int


@dataclass
class Progress:
    """How far a trade's marking is: per judge (their own share entered), per aspect (entrants
    with all the marks it needs), and the competing entrants still missing marks (id → aspects
    short). ``thin`` lists entrants whom recusals leave with too few judges; ``entered`` of
    ``expected`` count the trade's marks as the competition-day overview does."""

    entrants: int
    complete: int
    judges: list[JudgeProgress]
    aspects: list[AspectProgress]
    missing: dict[int, int]
    thin: dict[int, int]
    entered: int = 0
    expected: int = 0


def progress(trade: Trade) -> Progress:
    """Completion per judge and per aspect, and the entrants missing marks (the panel rule:
    :meth:`~competition.domain.panel.Panel.needed`, ``counted``, ``expected_of`` and
    ``entered_of``)."""
    aspects = scheme.aspects(trade)
    marks = _marks(trade)
    panel = load_panel(trade)
    active = panel.competing
    per_aspect = {a.id: 0 for a in aspects}
    missing = {}
    entered = 0
    for entrant_id in active:
        given = marks.get(entrant_id, {})
        short = 0
        for aspect in aspects:
            count = counted(panel, entrant_id, aspect.kind, given.get(aspect.id, {}))
            entered += count
            if count >= panel.needed(entrant_id, aspect.kind):
                per_aspect[aspect.id] += 1
            else:
                short += 1
        if short:
            missing[entrant_id] = short
    kinds = {a.id: a.kind for a in aspects}
    held = holders_of(marks)
    users = db.session.scalars(sa.select(User).where(User.id.in_(panel.judges))).all()
    judges = sorted(users, key=lambda u: (not panel.is_chief(u.id), u.username))
    return Progress(
        entrants=len(active), complete=len(active) - len(missing),
        judges=[JudgeProgress(u, panel.is_chief(u.id), panel.entered_of(u.id, kinds, held),
                              panel.expected_of(u.id, kinds, held)) for u in judges],
        aspects=[AspectProgress(a, per_aspect[a.id], len(active)) for a in aspects],
        missing=missing, thin=panel.thin(), entered=entered,
        expected=panel.expected(kinds.values()))


def severity(trade: Trade) -> list[tuple[User, Decimal, int]]:
    """Each judge's mean deviation from the rest of the panel on judgement and panel-mark
    aspects, on the common scale (percent of the aspect's range): negative is harsh, positive
    lenient. Sorted harshest first; (judge, mean deviation, panels counted)."""
    scale = {a.id: s for a in scheme.aspects(trade)
             if (s := severity_scale(a.kind, a.max_mark)) is not None}
    panels = [{judge: mark * scale[aspect_id] for judge, mark in by_judge.items()}
              for by_aspect in _marks(trade).values()
              for aspect_id, by_judge in by_aspect.items() if aspect_id in scale]
    found = judge_severity(panels)
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(found)))}
    return sorted(((users[j], s.mean_deviation, s.count) for j, s in found.items()),
                  key=lambda row: (row[1], row[0].username))
