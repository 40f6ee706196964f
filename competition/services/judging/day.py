"""The competition-day overview: every trade a user oversees, how far its marking is, what is
still open, who signed it off and whether its results are out, read for all trades at once.

The rules are the panel's (``competition.domain.panel``: what a trade expects, thin panels) and
oversight's (``competition.domain.oversight``: discrepancies); this module only reads the
marks, panels, sign-offs and published versions of the trades in a fixed number of queries,
whatever their number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa

from competition.domain.messages import Problem
from competition.domain.panel import NOT_CHIEF, Panel
from competition.domain.roles import reads_everything
from competition.domain.trade_state import TradeStatus
from competition.extensions import db
from competition.models import (
    Aspect,
    AuditAction,
    AuditEntry,
    Criterion,
    Event,
    ResultVersion,
    Score,
    Trade,
    User,
)
from competition.services.authority import overseen_trades
from competition.services.errors import NotAllowed
from competition.services.judging.oversight import counted, find_rows
from competition.services.judging.panel import load_panels

Marks = dict[int, dict[int, dict[int, Decimal]]]


@dataclass(frozen=True)
class TradeDay:
    """One trade on competition day. ``expected`` and ``entered`` count marks as the panel
    rule does (:meth:`~competition.domain.panel.Panel.expected`); ``thin``: competing entrants
    whom recusals leave with too few judges; ``signed_off_by`` / ``signed_off_at``: the
    sign-off in force (None unless the trade is signed off); ``version``: the latest published
    version (0: not published)."""

    trade: Trade
    entrants: int
    expected: int
    entered: int
    discrepancies: int
    thin: int
    signed_off_by: str | None
    signed_off_at: datetime | None
    version: int

    @property
    def percent(self) -> int | None:
        """Marks in, in whole percent rounded down (100 only when every mark is in)."""
        return 100 * self.entered // self.expected if self.expected else None


def competition_day(event: Event, user: User) -> list[TradeDay]:
    """The trades of ``event`` that ``user`` oversees (organizers and supervisors: all; a chief
    judge: their own), each with its marks in, open discrepancies, thin panels, sign-off and
    publication. NotAllowed for a judge who is chief of none of them."""
    trades = overseen_trades(user, event.id)
    if not trades and not reads_everything(user.role):
        raise NotAllowed(Problem(NOT_CHIEF))
    ids = [t.id for t in trades]
    if not ids:
        return []
    aspects = _aspects(ids)
    panels = load_panels(ids)
    marks = _marks(ids)
    signed = _sign_offs(ids)
    versions = _versions(ids)
    found = []
    for trade in trades:
        panel = panels[trade.id]
        specs = aspects.get(trade.id, {})
        given = marks.get(trade.id, {})
        who, when = signed.get(trade.id, (None, None)) \
            if trade.status == TradeStatus.SIGNED_OFF else (None, None)
        found.append(TradeDay(
            trade=trade, entrants=len(panel.competing),
            expected=panel.expected(s.kind for s in specs.values()),
            entered=_entered(panel, specs, given),
            discrepancies=len(find_rows(specs, set(panel.competing), given,
                                        trade.judgement_threshold)),
            thin=len(panel.thin()), signed_off_by=who, signed_off_at=when,
            version=versions.get(trade.id, 0)))
    return found


def _entered(panel: Panel, specs: dict, given: Marks) -> int:
    """The marks in that count towards what the trade expects (as the chief judge's progress
    counts them)."""
    return sum(counted(panel, entrant_id, spec.kind, given.get(entrant_id, {}).get(aspect_id, {}))
               for entrant_id in panel.competing for aspect_id, spec in specs.items())


def _aspects(trade_ids: list[int]) -> dict[int, dict]:
    """trade id → aspect id → aspect spec (one query)."""
    found: dict[int, dict] = defaultdict(dict)
    for trade_id, aspect in db.session.execute(
            sa.select(Criterion.trade_id, Aspect).join(Criterion, Criterion.id == Aspect.criterion_id)
            .where(Criterion.trade_id.in_(trade_ids))):
        found[trade_id][aspect.id] = aspect.spec()
    return found


def _marks(trade_ids: list[int]) -> dict[int, Marks]:
    """trade id → entrant id → aspect id → judge id → mark (one query)."""
    found: dict[int, Marks] = defaultdict(lambda: defaultdict(lambda: defaultdict(dict)))
    for trade_id, entrant_id, aspect_id, judge_id, value in db.session.execute(
            sa.select(Score.trade_id, Score.entrant_id, Score.aspect_id, Score.judge_id,
                      Score.value).where(Score.trade_id.in_(trade_ids))):
        found[trade_id][entrant_id][aspect_id][judge_id] = value
    return found


def _sign_offs(trade_ids: list[int]) -> dict[int, tuple[str | None, datetime]]:
    """trade id → (who, when) of its latest sign-off (the audit log's lock; one query). Who is
    None when the command line signed it off or the account is gone."""
    found = {}
    for trade_id, name, username, at in db.session.execute(
            sa.select(AuditEntry.trade_id, User.name, User.username, AuditEntry.at)
            .outerjoin(User, User.id == AuditEntry.user_id)
            .where(AuditEntry.trade_id.in_(trade_ids), AuditEntry.action == AuditAction.LOCK)
            .order_by(AuditEntry.at, AuditEntry.id)):
        found[trade_id] = (f"{name} ({username})" if username else None, at)
    return found


def _versions(trade_ids: list[int]) -> dict[int, int]:
    """trade id → its latest published version's number (one query)."""
    return dict(db.session.execute(
        sa.select(ResultVersion.trade_id, sa.func.max(ResultVersion.number))
        .where(ResultVersion.trade_id.in_(trade_ids)).group_by(ResultVersion.trade_id)).all())
