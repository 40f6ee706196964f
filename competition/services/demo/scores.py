"""Demo marks: every judge of every panel marks every entrant they are not recused from on the
judgement and panel-mark aspects; a measurement is entered once, by one of those judges (and
confirmed by a second where the trade asks for it).

The marks look like a real competition's: each entrant has an ability (most between 55 % and
90 % of the maximum), each aspect varies around it, each judge is a little harsh or lenient, and
a few marks disagree enough to need the chief judge (about 2 % of judgement panels, and 1 % of
confirmed measurements). Rows go in with bulk inserts, each with its audit entry, so the seed's 2,221
contestants take seconds.
"""

from __future__ import annotations

import math
import random
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from competition.domain.aggregation import AspectKind
from competition.extensions import db
from competition.models import Aspect, AuditAction, AuditEntry, Criterion, Event, Score, Trade, TradeStatus
from competition.models.base import utcnow
from competition.services.errors import committing
from competition.services.judging import load_panel

CHUNK = 20_000
MEASUREMENT_SLIPS = 0.01
JUDGEMENT_DISPUTES = 0.02


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return min(max(value, low), high)


def _mark(fraction: float, maximum: Decimal, decimals: int) -> Decimal:
    steps = 10 ** decimals
    return Decimal(round(fraction * float(maximum) * steps)).scaleb(-decimals)


def _judgement(rng: random.Random, fraction: float, judges: list[int],
               bias: dict[int, float]) -> dict[int, Decimal]:
    base = fraction * 3
    low = min(int(math.floor(base)), 2)
    scores = {j: low + (1 if rng.random() < base - low + bias[j] * 3 else 0) for j in judges}
    if len(judges) >= 2 and rng.random() < JUDGEMENT_DISPUTES:
        odd = rng.choice(judges)
        scores[odd] = 3 if max(scores.values()) <= 1 else 0
    return {j: Decimal(min(max(s, 0), 3)) for j, s in scores.items()}


def _measurement(rng: random.Random, fraction: float, judges: list[int],
                 aspect: Aspect, confirmed: bool) -> dict[int, Decimal]:
    """The measured mark, entered by one of the judges; where the trade confirms
    measurements, a second judge's confirmation, now and then a step off."""
    agreed = _mark(fraction, aspect.max_mark, aspect.decimals)
    if not judges:
        return {}
    if not confirmed or len(judges) < 2:
        return {rng.choice(judges): agreed}
    first, second = rng.sample(judges, 2)
    marks = {first: agreed, second: agreed}
    if rng.random() < MEASUREMENT_SLIPS:
        slip = Decimal(1).scaleb(-aspect.decimals)
        marks[second] = agreed - slip if agreed >= slip else agreed + slip
    return marks


def _marks(rng: random.Random, aspect: Aspect, fraction: float, judges: list[int],
           bias: dict[int, float], confirmed: bool = False) -> dict[int, Decimal]:
    """The marks of one aspect for an entrant worth ``fraction`` of its maximum."""
    if aspect.kind == AspectKind.JUDGEMENT:
        return _judgement(rng, fraction, judges, bias)
    if aspect.kind == AspectKind.MEASUREMENT:
        return _measurement(rng, fraction, judges, aspect, confirmed)
    return {j: _mark(_clamp(fraction + bias[j] + rng.gauss(0, 0.03)), aspect.max_mark, aspect.decimals)
            for j in judges}


def add_scores(event: Event, rng: random.Random) -> int:
    """Give every active entrant of every trade of ``event`` its marks (see the module
    docstring), open the trades for scoring, and return how many marks were made."""
    trades = db.session.scalars(
        sa.select(Trade).where(Trade.event_id == event.id).order_by(Trade.code)
        .options(selectinload(Trade.criteria).selectinload(Criterion.aspects))).all()
    now = utcnow()
    scores: list[dict] = []
    audit: list[dict] = []
    opened = []
    for trade in trades:
        aspects = [a for c in trade.criteria for a in c.aspects]
        panel = load_panel(trade)
        active = panel.competing
        if not aspects or not panel.judges or not active:
            continue
        if trade.status == TradeStatus.SETUP:
            opened.append(trade)
        bias = {j: rng.gauss(0, 0.04) for j in panel.judges}
        for entrant_id in active:
            judges = panel.eligible(entrant_id)
            ability = _clamp(rng.gauss(0.72, 0.11), 0.3, 0.98)
            for aspect in aspects:
                fraction = _clamp(ability + rng.gauss(0, 0.07))
                marks = _marks(rng, aspect, fraction, judges, bias, panel.confirm_measurements)
                for judge_id, value in marks.items():
                    scores.append(dict(trade_id=trade.id, entrant_id=entrant_id,
                                       aspect_id=aspect.id, judge_id=judge_id, value=value,
                                       version=1, updated_at=now, updated_by_id=None))
                    audit.append(dict(at=now, user_id=None, event_id=event.id, trade_id=trade.id,
                                      entrant_id=entrant_id, aspect_id=aspect.id,
                                      judge_id=judge_id, action=AuditAction.INSERT.value,
                                      old_value=None, new_value=value, reason="demo"))
    for trade in opened:
        trade.status = TradeStatus.OPEN
        audit.append(dict(at=now, user_id=None, event_id=event.id, trade_id=trade.id,
                          entrant_id=None, aspect_id=None, judge_id=None,
                          action=AuditAction.OPEN.value, old_value=None, new_value=None,
                          reason="demo"))
    with committing():
        db.session.flush()
        for table, rows in ((Score.__table__, scores), (AuditEntry.__table__, audit)):
            for start in range(0, len(rows), CHUNK):
                db.session.execute(sa.insert(table), rows[start:start + CHUNK])
    return len(scores)
