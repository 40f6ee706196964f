"""Who holds the marks of a trade's cells and each judge's own share of them, read for the
judge's sheet and "my trades" (the rules are the panel's, ``competition.domain.panel``:
:meth:`~competition.domain.panel.Panel.shares`, ``expected_of``, ``entered_of`` and
:func:`~competition.domain.panel.measurement_problem`; the chief judge's progress and the
competition-day overview count with the same rule in ``oversight`` and ``day``).

A measurement another judge entered is refused here before the save's transaction: two judges
saving the same empty measurement at the same moment may both get theirs in, which the chief
judge then sees as any two differing marks (a discrepancy) or as one agreed value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from competition.domain.aggregation import AspectKind
from competition.domain.messages import Problem
from competition.domain.panel import CellKey, Panel, measurement_problem
from competition.extensions import db
from competition.models import Aspect, Criterion, JudgeAssignment, Score, User
from competition.services.judging.panel import load_panels

Holders = dict[tuple[int, int], list[tuple[int, Decimal]]]


def holders(trade_ids: Collection[int], aspect_ids: Collection[int] | None = None
            ) -> dict[int, Holders]:
    """trade id → (entrant id, aspect id) → (judge id, mark) of every mark on the cell, in the
    order they were entered (one query)."""
    query = sa.select(Score.trade_id, Score.entrant_id, Score.aspect_id, Score.judge_id,
                      Score.value).where(Score.trade_id.in_(list(trade_ids))).order_by(Score.id)
    if aspect_ids is not None:
        query = query.where(Score.aspect_id.in_(list(aspect_ids)))
    found: dict[int, Holders] = defaultdict(lambda: defaultdict(list))
    for trade_id, entrant_id, aspect_id, judge_id, value in db.session.execute(query):
        found[trade_id][(entrant_id, aspect_id)].append((judge_id, value))
    return found


def judges_of(held: Mapping[tuple[int, int], list[tuple[int, Decimal]]]
              ) -> dict[tuple[int, int], list[int]]:
    """(entrant id, aspect id) → the judges with a mark on it."""
    return {cell: [j for j, _v in marks] for cell, marks in held.items()}


def measurement_refusals(panel: Panel, user_id: int, trade_id: int,
                         keys: Collection[CellKey], kinds: Mapping[int, AspectKind]
                         ) -> dict[CellKey, Problem]:
    """The user's own measurement marks among ``keys`` that another judge's entry refuses
    (see :func:`~competition.domain.panel.measurement_problem`)."""
    keys = [k for k in keys if k.judge_id == user_id
            and kinds.get(k.aspect_id) is AspectKind.MEASUREMENT]
    if not keys:
        return {}
    held = judges_of(holders([trade_id], {k.aspect_id for k in keys}).get(trade_id, {}))
    return {k: problem for k in keys
            if (problem := measurement_problem(panel, k, held.get((k.entrant_id, k.aspect_id), ())))}


def aspect_kinds(trade_ids: Collection[int]) -> dict[int, dict[int, AspectKind]]:
    """trade id → aspect id → kind (one query)."""
    found: dict[int, dict[int, AspectKind]] = defaultdict(dict)
    for trade_id, aspect_id, kind in db.session.execute(
            sa.select(Criterion.trade_id, Aspect.id, Aspect.kind).join(Aspect)
            .where(Criterion.trade_id.in_(list(trade_ids)))):
        found[trade_id][aspect_id] = AspectKind(kind)
    return found


def my_trades(user: User) -> list[tuple[JudgeAssignment, int, int]]:
    """The user's trades with how many of their own marks are entered and how many the panel
    rule expects of them (``Panel.entered_of`` / ``expected_of``, as the chief judge's progress
    counts them): never counting entrants they are recused from, whose number, under blind
    judging, would hint at their own delegation's entrants (a fixed number of queries)."""
    assignments = db.session.scalars(
        sa.select(JudgeAssignment).where(JudgeAssignment.user_id == user.id)
        .options(joinedload(JudgeAssignment.trade))).all()
    trade_ids = [a.trade_id for a in assignments]
    if not trade_ids:
        return []
    panels = load_panels(trade_ids)
    kinds = aspect_kinds(trade_ids)
    held = holders(trade_ids)
    rows = []
    for a in sorted(assignments, key=lambda a: a.trade.code):
        cells = judges_of(held.get(a.trade_id, {}))
        panel, aspects = panels[a.trade_id], kinds.get(a.trade_id, {})
        rows.append((a, panel.entered_of(user.id, aspects, cells),
                     panel.expected_of(user.id, aspects, cells)))
    return rows
