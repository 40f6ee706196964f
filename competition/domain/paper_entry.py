"""Two-person entry of paper marking sheets (Tabbycat's rule for ballots): a sheet typed in by one
person counts only once a second, different person confirms it. The confirmer confirms or
rejects, never edits: a wrong entry is rejected and typed in again.

Who may confirm: an organizer of the event, or the chief judge (or a deputy chief judge) of the
entry's trade, and never the person who entered it, nor the judge whose marks the sheet holds.
Only a pending entry is decided, and only while its trade is open for scoring (signing off locks
marks, paper ones too). A confirmation by a second typing of the sheet confirms only when the
two typings agree cell by cell.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from competition.domain.messages import N_, Problem
from competition.domain.trade_state import TradeStatus, marks_problem


class EntryStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


SELF_CONFIRMATION = N_("You entered this sheet: a different person must confirm or reject it.")
OWN_MARKS = N_("These are your own marks: a different person must confirm or reject them.")
NOT_A_CONFIRMER = N_("Only an organizer of the event or the trade's chief judge may confirm or "
                     "reject a paper entry.")
ALREADY_DECIDED = N_("This paper entry is already confirmed or rejected: it can no longer change.")


@dataclass(frozen=True)
class Decider:
    """Who wants to decide an entry: their id, and whether they organize the event or lead the
    entry's trade (chief or deputy chief judge)."""

    user_id: int | None
    organizes_or_leads: bool


@dataclass(frozen=True)
class EntryFacts:
    """What the rule needs to know of an entry: who entered it (None: the command line), whose
    marks it holds, its status and its trade's."""

    entered_by: int | None
    judge_id: int
    status: EntryStatus | str
    trade_status: TradeStatus | str


def decide_problem(entry: EntryFacts, decider: Decider) -> Problem | None:
    """Why ``decider`` may not confirm or reject ``entry`` (the first reason, in this order:
    already decided, not a confirmer, the person who entered it, the judge whose marks they
    are, the trade no longer open), or None when they may."""
    if entry.status != EntryStatus.PENDING:
        return Problem(ALREADY_DECIDED)
    if decider.user_id is None or not decider.organizes_or_leads:
        return Problem(NOT_A_CONFIRMER)
    if decider.user_id == entry.entered_by:
        return Problem(SELF_CONFIRMATION)
    if decider.user_id == entry.judge_id:
        return Problem(OWN_MARKS)
    return marks_problem(entry.trade_status)


@dataclass(frozen=True)
class Difference:
    """One cell on which the entry and the confirming typing disagree (None: left empty)."""

    cell: Hashable
    entered: Decimal | None
    confirmed: Decimal | None


def differences(entered: Mapping[Hashable, Decimal],
                confirmed: Mapping[Hashable, Decimal]) -> list[Difference]:
    """The cells where two typings of one sheet differ: a different mark, or a mark on one side
    only (an empty cell on the other). Equal numbers agree however they were written (7.5 and
    7.50). In the order of the cells."""
    cells = sorted(set(entered) | set(confirmed))
    return [Difference(cell, entered.get(cell), confirmed.get(cell)) for cell in cells
            if entered.get(cell) != confirmed.get(cell)]
