"""Resolving one entrant's marks: who may (``competition.domain.panel``: the chief judge unless
recused, else a deputy chief judge who is not, else the event's organizer), said on the page
beforehand and checked here, before any cell, whatever the page showed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from competition.domain.panel import Position, Scorer, resolve_problem
from competition.domain.roles import organizes
from competition.domain.trade_state import marks_problem
from competition.extensions import db
from competition.models import Trade, User
from competition.services.authority import require_judge, require_organizer
from competition.services.errors import NotAllowed
from competition.services.judging.panel import load_panel
from competition.services.judging.sheets import CellInput, SaveResult, write_cells

ORGANIZER_REASON = "organizer resolving: the chief and deputy chief judges are recused"
"""What the audit says, before the reason given, of a mark the organizer changed."""


@dataclass(frozen=True)
class Resolver:
    """Who resolves an entrant: ``position`` chief or deputy chief judge (None: the organizer),
    the names of those who may, and whether the viewer is one of them."""

    position: Position | None
    names: tuple[str, ...]
    you: bool


def resolver(user: User, trade: Trade, entrant_id: int) -> Resolver:
    """Who may resolve the entrant's marks, as the resolve page says beforehand."""
    panel = load_panel(trade)
    resolution = panel.resolution(entrant_id)
    names = tuple(db.session.scalars(sa.select(User.name).where(
        User.id.in_(resolution.judge_ids)).order_by(User.name)))
    you = resolve_problem(panel, Scorer(user.id, user.role), entrant_id) is None
    return Resolver(resolution.position, names, you)


def resolve_marks(user: User, trade: Trade, entrant_id: int, cells: Sequence[CellInput],
                  reason: str) -> SaveResult:
    """Save changes to the marks of one entrant, whole or not at all (see ``save_sheet``).

    Raises NotAllowed, with the one message of the case, when the user may not resolve this
    entrant (the trade's state, or someone else resolves it); an organizer's changes are audited
    as such, with the reason given."""
    if organizes(user.role):
        require_organizer(user, trade.event_id)
    else:
        require_judge(user, trade)
    if problem := marks_problem(trade.status):
        raise NotAllowed(problem)
    panel = load_panel(trade)
    if problem := resolve_problem(panel, Scorer(user.id, user.role), entrant_id):
        raise NotAllowed(problem)
    cells = [c for c in cells if c.entrant_id == entrant_id]
    reason = (reason or "").strip()
    if organizes(user.role) and reason:
        reason = f"{ORGANIZER_REASON}: {reason}"
    return write_cells(user, trade, panel, cells, reason)
