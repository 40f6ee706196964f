"""Saving a judge's sheet cell by cell: the sheet's background save (JSON), which a tablet sends
as the judge types, and replays from its queue after the network or the session came back.

Each cell goes through :func:`~competition.services.judging.sheets.save_sheet` on its own, so
every rule of the form's save holds (recusal, the trade's state, bounds, the change reason) and
one refused cell never holds back the others. Each cell's answer is one of: saved (with its new
version), refused (with the reason) or stale (the cell changed on the server since it was
loaded: what it holds now, and that version, for the judge to choose).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from competition.domain.messages import Problem
from competition.domain.panel import CellKey
from competition.models import Trade, User
from competition.services.errors import NotAllowed
from competition.services.judging import marks
from competition.services.judging.sheets import CellInput, save_sheet

SAVED, REFUSED, STALE = "saved", "refused", "stale"


@dataclass(frozen=True)
class CellOutcome:
    """What saving one cell did. ``version`` is the cell's version now (saved: after the save,
    None once the mark was deleted; stale: the server's); ``current`` the server's value
    (stale)."""

    cell: CellInput
    state: str
    version: int | None = None
    current: Decimal | None = None
    problem: Problem | None = None


def save_cells(user: User, trade: Trade, cells: Sequence[CellInput],
               reason: str = "") -> list[CellOutcome]:
    """Save each cell on its own, in the order given (a queue replays in the order typed)."""
    return [_save_one(user, trade, cell, reason) for cell in cells]


def _save_one(user: User, trade: Trade, cell: CellInput, reason: str) -> CellOutcome:
    try:
        result = save_sheet(user, trade, [cell], reason)
    except NotAllowed as refusal:
        return CellOutcome(cell, REFUSED, problem=refusal.problem)
    if result.stale:
        stale = result.stale[0]
        return CellOutcome(cell, STALE, stale.current_version, stale.current, stale.problem())
    if result.problems_by_cell or result.problems:
        problems = [*result.problems_by_cell.values(), *result.problems]
        return CellOutcome(cell, REFUSED, problem=problems[0])
    key = CellKey(user.id, cell.entrant_id, cell.aspect_id)
    stored = marks.current_marks([key]).get(key)
    return CellOutcome(cell, SAVED, stored[2] if stored else None,
                       stored[1] if stored else None)
