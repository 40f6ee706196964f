"""A small judged trade for the judging tests: three delegations, a panel, a chief judge."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import (Aspect, AuditEntry, Delegation, Entrant, Event, Role, Score, Trade,
                                TradeStatus, User)
from competition.domain.panel import CellKey, Scorer, cell_problem
from competition.services import judging


@dataclass
class Scene:
    event: Event
    delegations: list[Delegation]
    trade: Trade
    aspects: list[Aspect]  # measurement ≤ 10, judgement 0-3 (max 6), panel ≤ 20
    judges: list[User]  # of delegations 0, 1 and none
    chief: User
    organizer: User
    supervisor: User
    entrants: list[Entrant]  # of delegations 0, 1, 2

    @property
    def measurement(self) -> Aspect:
        return self.aspects[0]

    @property
    def judgement(self) -> Aspect:
        return self.aspects[1]

    @property
    def panel(self) -> Aspect:
        return self.aspects[2]


@pytest.fixture
def scene(make_event, make_delegation, make_trade, make_user, make_entrant) -> Scene:
    event = make_event()
    delegations = [make_delegation(event) for _ in range(3)]
    trade = make_trade(event, aspects=((Decimal(10), "measurement"), (Decimal(6), "judgement"),
                                       (Decimal(20), "panel")), status=TradeStatus.OPEN)
    aspects = [a for c in trade.criteria for a in c.aspects]
    judges = [make_user(Role.JUDGE, event, trades=(trade,), delegation=delegations[0]),
              make_user(Role.JUDGE, event, trades=(trade,), delegation=delegations[1]),
              make_user(Role.JUDGE, event, trades=(trade,))]
    chief = make_user(Role.CHIEF_JUDGE, event, trades=(trade,), chief=True,
                      delegation=delegations[2])
    entrants = [make_entrant(trade, d, draw_number=i + 1, anonymous_code=f"X{i + 17}")
                for i, d in enumerate(delegations)]
    return Scene(event=event, delegations=delegations, trade=trade, aspects=aspects,
                 judges=judges, chief=chief, organizer=make_user(Role.ORGANIZER, event),
                 supervisor=make_user(Role.SUPERVISOR, event), entrants=entrants)


def cell(entrant: Entrant, aspect: Aspect, value: str, version: int | None = None,
         judge: User | None = None) -> judging.CellInput:
    return judging.CellInput(entrant.id, aspect.id, value, version,
                             judge.id if judge is not None else None)


def stored(judge: User, entrant: Entrant, aspect: Aspect) -> Score | None:
    return db.session.scalar(sa.select(Score).where(Score.judge_id == judge.id,
                                                    Score.entrant_id == entrant.id,
                                                    Score.aspect_id == aspect.id))


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def audit_count() -> int:
    return count(AuditEntry)


def fill(s: Scene, entrants=None, judges=None, value: str = "2") -> None:
    """Every judge gives every entrant they are not recused from (the domain's rule) ``value``
    on every aspect."""
    panel = judging.load_panel(s.trade)
    for judge in judges or [*s.judges, s.chief]:
        marks = [cell(e, a, value) for e in entrants or s.entrants for a in s.aspects
                 if panel.recusal(judge.id, e.id) is None]
        result = judging.save_sheet(judge, s.trade, marks)
        assert result.ok, result


def may_score(judge: User, entrant: Entrant, aspect: Aspect):
    """Why ``judge`` may not enter their own mark for ``entrant`` on ``aspect`` (the domain's
    rule for writing a mark, over the trade's panel as loaded from the database), or None."""
    trade = entrant.trade
    aspect_ids = {aspect.id} if aspect.criterion.trade_id == trade.id else set()
    return cell_problem(judging.load_panel(trade), Scorer(judge.id, judge.role),
                        CellKey(judge.id, entrant.id, aspect.id), aspect_ids, trade.status)
