"""Helpers shared by the results tests: a trade with marks, signed off, in one call."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import (AwardRule, Delegation, Entrant, Event, Role, Score, Trade,
                                TradeStatus, User)

@dataclass
class Scenario:
    event: Event
    trade: Trade
    entrants: list[Entrant]
    judge: User


def add_marks(trade: Trade, judge: User, marks: dict[Entrant, tuple]) -> None:
    """One measurement mark per aspect (in scheme order) for each entrant, by ``judge``."""
    aspects = [a for c in trade.criteria for a in c.aspects]
    for entrant, values in marks.items():
        for aspect, value in zip(aspects, values):
            db.session.add(Score(trade_id=trade.id, entrant_id=entrant.id, aspect_id=aspect.id,
                                 judge_id=judge.id, updated_by_id=judge.id, value=Decimal(value)))
    db.session.commit()


def set_marks(trade: Trade, entrant: Entrant, *values) -> None:
    """Change an entrant's marks in place (a correction after unlocking, in a test)."""
    aspects = [a for c in trade.criteria for a in c.aspects]
    for aspect, value in zip(aspects, values):
        score = db.session.query(Score).filter_by(entrant_id=entrant.id, aspect_id=aspect.id).one()
        score.value = Decimal(value)
    db.session.commit()


def sign_off(trade: Trade) -> None:
    """Lock the trade's marks as the chief judge's sign-off does (judging is tested elsewhere)."""
    trade.status = TradeStatus.SIGNED_OFF
    db.session.commit()


def event_rule(event: Event, **fields) -> AwardRule:
    """The event's default award rule, replaced by one with ``fields``."""
    db.session.query(AwardRule).filter_by(event_id=event.id, trade_id=None).delete()
    rule = AwardRule(event_id=event.id, trade_id=None, **fields)
    db.session.add(rule)
    db.session.commit()
    return rule


@pytest.fixture
def scored_trade(make_event, make_delegation, make_trade, make_user, make_entrant):
    """``make(totals, ...)``: a trade whose entrants (one per delegation unless ``delegations``
    is given, cycled) have those totals — a number for a one-aspect trade of 100, a tuple for
    a trade with ``aspects``; None leaves an entrant without marks. Signed off unless told."""
    def make(totals, event: Event | None = None, delegations: list[Delegation] | None = None,
             aspects=((Decimal(100), "measurement"),), signed_off: bool = True,
             statuses: dict[int, str] | None = None, names: list[str] | None = None,
             **fields) -> Scenario:
        event = event or make_event()
        judge = make_user(Role.JUDGE, event)
        trade = make_trade(event, aspects=aspects, **fields)
        entrants, marks = [], {}
        for i, total in enumerate(totals):
            delegation = delegations[i % len(delegations)] if delegations else make_delegation(event)
            extra = {"status": statuses[i]} if statuses and i in statuses else {}
            entrant = make_entrant(trade, delegation, draw_number=i + 1,
                                   names=(names[i],) if names else (), **extra)
            entrants.append(entrant)
            if total is not None:
                marks[entrant] = total if isinstance(total, tuple) else (total,)
        add_marks(trade, judge, marks)
        if signed_off:
            sign_off(trade)
        return Scenario(event, trade, entrants, judge)
    return make


class count_queries:
    """Count the SQL statements run inside the ``with`` block."""

    def __enter__(self):
        self.count = 0
        sa.event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def _seen(self, *_args) -> None:
        self.count += 1

    def __exit__(self, *_exc) -> None:
        sa.event.remove(db.engine, "before_cursor_execute", self._seen)
