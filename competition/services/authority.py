"""Who may act on what, checked in the services whatever the pages hide: the organizer of an
event, a judge or the chief judge of a trade, and who oversees a trade's marking."""

from __future__ import annotations

import sqlalchemy as sa

from competition.domain.messages import N_, Problem
from competition.domain.panel import LEADS, NOT_CHIEF, NOT_ON_PANEL
from competition.domain.roles import belongs_to, organizes, reads_everything, scores
from competition.extensions import db
from competition.models import JudgeAssignment, Trade, User
from competition.services.errors import NotAllowed

NOT_ORGANIZER = N_("Only an organizer of this event may do this.")


def require_organizer(user: User | None, event_id: int) -> None:
    """An organizer of the event, or an administrator; ``None`` is the command line."""
    if user is None:
        return
    if not organizes(user.role) or not belongs_to(user.role, user.event_id, event_id):
        raise NotAllowed(Problem(NOT_ORGANIZER))


def assignment(user: User, trade: Trade) -> JudgeAssignment | None:
    return db.session.scalar(sa.select(JudgeAssignment).where(
        JudgeAssignment.trade_id == trade.id, JudgeAssignment.user_id == user.id))


def require_judge(user: User, trade: Trade) -> JudgeAssignment:
    """The user's assignment to the trade; NotAllowed when they are not one of its judges."""
    found = assignment(user, trade)
    if found is None or not scores(user.role) or user.event_id != trade.event_id:
        raise NotAllowed(Problem(NOT_ON_PANEL))
    return found


def require_chief(user: User, trade: Trade) -> None:
    if not require_judge(user, trade).is_chief:
        raise NotAllowed(Problem(NOT_CHIEF))


def is_chief_of(user: User, trade: Trade) -> bool:
    found = assignment(user, trade)
    return found is not None and found.is_chief and scores(user.role)


def leads(user: User, trade: Trade) -> bool:
    """The trade's chief judge or one of its deputy chief judges."""
    found = assignment(user, trade)
    return found is not None and found.leads and scores(user.role)


def can_oversee(user: User, trade: Trade) -> bool:
    """Organizers and supervisors of the event, and the trade's chief and deputy chief judges,
    see its progress, discrepancies, severity and provisional results."""
    if not belongs_to(user.role, user.event_id, trade.event_id):
        return False
    if reads_everything(user.role):
        return True
    return leads(user, trade)


def overseen_trades(user: User, event_id: int) -> list[Trade]:
    """The event's trades whose marking ``user`` oversees (see :func:`can_oversee`), in code
    order: every trade for its organizers and supervisors, the trades a judge is chief judge
    of or deputy chief judge of, none for anyone else."""
    if not belongs_to(user.role, user.event_id, event_id):
        return []
    query = sa.select(Trade).where(Trade.event_id == event_id).order_by(Trade.code)
    if reads_everything(user.role):
        return list(db.session.scalars(query))
    if not scores(user.role):
        return []
    return list(db.session.scalars(query.join(JudgeAssignment).where(
        JudgeAssignment.user_id == user.id, JudgeAssignment.position.in_(LEADS))))
