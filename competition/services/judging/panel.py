"""A trade's panel from the database, as the domain's :class:`~competition.domain.panel.Panel`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from competition.domain.panel import Panel, PanelEntrant, Position
from competition.extensions import db
from competition.models import Conflict, Contestant, Entrant, JudgeAssignment, Trade, User


def load_panel(trade: Trade) -> Panel:
    """The trade's judges, its entrants and every declared conflict between them, in four
    queries of plain columns."""
    return load_panels([trade.id])[trade.id]


def load_panels(trade_ids: Collection[int]) -> dict[int, Panel]:
    """:func:`load_panel` for many trades at once (trade id → panel), in the same four queries
    whatever their number."""
    trade_ids = list(trade_ids)
    judges: dict[int, dict[int, Position]] = {t: {} for t in trade_ids}
    delegation_of: dict[int, dict[int, int | None]] = {t: {} for t in trade_ids}
    for trade_id, user_id, position, delegation_id in db.session.execute(
            sa.select(JudgeAssignment.trade_id, JudgeAssignment.user_id, JudgeAssignment.position,
                      User.delegation_id)
            .join(User, User.id == JudgeAssignment.user_id)
            .where(JudgeAssignment.trade_id.in_(trade_ids))):
        judges[trade_id][user_id] = Position(position)
        delegation_of[trade_id][user_id] = delegation_id
    entrants: dict[int, dict[int, PanelEntrant]] = {t: {} for t in trade_ids}
    confirm: dict[int, bool] = {}
    for trade_id, confirms, entrant_id, delegation_id, status in db.session.execute(
            sa.select(Trade.id, Trade.confirm_measurements, Entrant.id, Entrant.delegation_id,
                      Entrant.status).outerjoin(Entrant, Entrant.trade_id == Trade.id)
            .where(Trade.id.in_(trade_ids))):
        confirm[trade_id] = confirms
        if entrant_id is not None:
            entrants[trade_id][entrant_id] = PanelEntrant(delegation_id, status)
    declared: dict[int, set[tuple[int, int]]] = {t: set() for t in trade_ids}
    if any(judges.values()):
        for trade_id, user_id, entrant_id in db.session.execute(
                sa.select(Contestant.trade_id, Conflict.user_id, Contestant.entrant_id)
                .join(Contestant, Contestant.id == Conflict.contestant_id)
                .where(Contestant.trade_id.in_(trade_ids))):
            if user_id in judges[trade_id]:
                declared[trade_id].add((user_id, entrant_id))
        whole = defaultdict(list)
        for user_id, delegation_id in db.session.execute(
                sa.select(Conflict.user_id, Conflict.delegation_id)
                .join(JudgeAssignment, JudgeAssignment.user_id == Conflict.user_id)
                .where(Conflict.delegation_id.is_not(None),
                       JudgeAssignment.trade_id.in_(trade_ids)).distinct()):
            whole[user_id].append(delegation_id)
        for trade_id in trade_ids:
            for user_id in judges[trade_id]:
                for delegation_id in whole.get(user_id, ()):
                    declared[trade_id].update(
                        (user_id, e) for e, entrant in entrants[trade_id].items()
                        if entrant.delegation_id == delegation_id)
    return {t: Panel(judges=judges[t], delegation_of_judge=delegation_of[t], entrants=entrants[t],
                     declared=frozenset(declared[t]), confirm_measurements=bool(confirm.get(t)))
            for t in trade_ids}


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
