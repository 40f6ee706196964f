"""A trade's panel from the database, as the domain's :class:`~competition.domain.panel.Panel`."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from competition.domain.panel import Panel, PanelEntrant
from competition.extensions import db
from competition.models import Conflict, Contestant, Entrant, JudgeAssignment, Trade, User


def load_panel(trade: Trade) -> Panel:
    """The trade's judges, its entrants and every declared conflict between them, in four
    queries of plain columns."""
    rows = db.session.execute(
        sa.select(JudgeAssignment.user_id, JudgeAssignment.is_chief, User.delegation_id)
        .join(User, User.id == JudgeAssignment.user_id)
        .where(JudgeAssignment.trade_id == trade.id)).all()
    judges = {row.user_id: row.is_chief for row in rows}
    entrants = {row.id: PanelEntrant(row.delegation_id, row.status) for row in db.session.execute(
        sa.select(Entrant.id, Entrant.delegation_id, Entrant.status)
        .where(Entrant.trade_id == trade.id))}
    declared: set[tuple[int, int]] = set()
    if judges:
        declared.update(db.session.execute(
            sa.select(Conflict.user_id, Contestant.entrant_id)
            .join(Contestant, Contestant.id == Conflict.contestant_id)
            .where(Contestant.trade_id == trade.id, Conflict.user_id.in_(judges))).all())
        by_delegation = defaultdict(list)
        for entrant_id, entrant in entrants.items():
            by_delegation[entrant.delegation_id].append(entrant_id)
        for user_id, delegation_id in db.session.execute(
                sa.select(Conflict.user_id, Conflict.delegation_id)
                .where(Conflict.delegation_id.is_not(None), Conflict.user_id.in_(judges))):
            declared.update((user_id, e) for e in by_delegation.get(delegation_id, ()))
    return Panel(judges=judges, delegation_of_judge={row.user_id: row.delegation_id for row in rows},
                 entrants=entrants, declared=frozenset(declared))


def thin_panels(trade: Trade) -> list[tuple[Entrant, int]]:
    """Entrants whom recusals (own delegation, declared conflicts) leave with too few judges on
    this trade's panel, with the number of judges left: the warning on the assignment page."""
    thin = load_panel(trade).thin()
    if not thin:
        return []
    entrants = db.session.scalars(sa.select(Entrant).where(Entrant.id.in_(thin))
                                  .options(selectinload(Entrant.members),
                                           selectinload(Entrant.delegation))).all()
    return sorted(((e, thin[e.id]) for e in entrants), key=lambda pair: (pair[1], pair[0].id))
