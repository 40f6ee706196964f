"""Declared conflicts of interest (回避, beyond a judge's own delegation): a judge must not mark
a named contestant, or anyone of a named delegation."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from competition.domain.messages import N_, Problem
from competition.domain.panel import CellKey
from competition.domain.roles import scores
from competition.extensions import db
from competition.models import Conflict, Contestant, Delegation, Entrant, Event, Score, User
from competition.services.errors import Invalid, NotAllowed, committing
from competition.services.judging import marks

DECLARED_ALREADY = N_("This conflict is declared already.")


def declare_conflict(event: Event, actor: User, judge: User | None,
                     contestant: Contestant | None = None,
                     delegation: Delegation | None = None, reason: str = "") -> Conflict:
    """Declare that ``judge`` must not mark ``contestant`` (their entrant) or anyone of
    ``delegation``. Marks the judge already gave them are deleted (and logged), unless a trade
    concerned is not open: then nothing changes until it is unlocked."""
    problems: dict[str | None, Problem] = {}
    if judge is None or judge.event_id != event.id or not scores(judge.role):
        problems["judge"] = Problem(N_("Choose a judge of this event."))
    if contestant is None and delegation is None:
        problems["target"] = Problem(N_("Name a contestant or a delegation."))
    if contestant is not None and delegation is not None:
        problems["target"] = Problem(N_("Name a contestant or a delegation, not both."))
    if contestant is not None and contestant.event_id != event.id:
        problems["contestant"] = Problem(N_("No such contestant in this event."))
    if delegation is not None and delegation.event_id != event.id:
        problems["delegation"] = Problem(N_("No such delegation in this event."))
    if problems:
        raise Invalid(problems)
    exists = sa.select(Conflict.id).where(Conflict.user_id == judge.id)
    exists = exists.where(Conflict.contestant_id == contestant.id) if contestant else \
        exists.where(Conflict.delegation_id == delegation.id)
    if db.session.scalar(exists) is not None:
        raise Invalid({None: Problem(DECLARED_ALREADY)})
    entrant_filter = (Score.entrant_id == contestant.entrant_id) if contestant else \
        Score.entrant_id.in_(sa.select(Entrant.id).where(Entrant.delegation_id == delegation.id))
    given = db.session.execute(sa.select(Score.trade_id, Score.entrant_id, Score.aspect_id,
                                         Score.version)
                               .where(Score.judge_id == judge.id, entrant_filter)).all()
    why = f"conflict of interest: {reason.strip()}"[:500]
    changes = [marks.MarkChange(CellKey(judge.id, r.entrant_id, r.aspect_id), r.trade_id, None,
                                r.version, "") for r in given]
    try:
        with committing(Problem(DECLARED_ALREADY)):
            if changes and marks.hold_open(c.trade_id for c in changes):
                raise NotAllowed(Problem(N_("The judge has marks for this entrant in a trade "
                                            "that is not open; unlock it first.")))
            conflict = Conflict(user_id=judge.id, contestant=contestant, delegation=delegation,
                                reason=reason.strip()[:300])
            db.session.add(conflict)
            marks.write(actor, event.id, changes, why)
    except marks.StaleCells:
        raise NotAllowed(Problem(N_("Marks changed meanwhile; try again."))) from None
    return conflict


def declare_conflict_by(event: Event, actor: User, username: str, competitor_number: str = "",
                        delegation_id: int | None = None, reason: str = "") -> Conflict:
    """:func:`declare_conflict` for a judge named by username and a contestant named by
    competitor number (or a delegation by id), as the organizer's form names them."""
    judge = db.session.scalar(sa.select(User).where(User.username == username,
                                                    User.event_id == event.id))
    contestant = db.session.scalar(sa.select(Contestant).where(
        Contestant.event_id == event.id, Contestant.competitor_number == competitor_number)) \
        if competitor_number else None
    if competitor_number and contestant is None:
        raise Invalid({"contestant": Problem(N_("No such contestant in this event."))})
    delegation = db.session.get(Delegation, delegation_id) if delegation_id else None
    return declare_conflict(event, actor, judge, contestant, delegation, reason)


def remove_conflict(conflict: Conflict) -> None:
    with committing():
        db.session.delete(conflict)


def conflicts_of(event: Event) -> list[Conflict]:
    return db.session.scalars(
        sa.select(Conflict).join(User, User.id == Conflict.user_id).where(User.event_id == event.id)
        .options(joinedload(Conflict.user), joinedload(Conflict.contestant),
                 joinedload(Conflict.delegation)).order_by(User.username, Conflict.id)).all()
