"""Two-person entry of paper sheets, as the rule reads: who may confirm or reject an entry, and
where two typings of one sheet differ."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from competition.domain.paper_entry import (
    ALREADY_DECIDED,
    NOT_A_CONFIRMER,
    OWN_MARKS,
    SELF_CONFIRMATION,
    Decider,
    Difference,
    EntryFacts,
    EntryStatus,
    decide_problem,
    differences,
)
from competition.domain.trade_state import LOCKED, NOT_OPEN, TradeStatus

CLERK, SECOND, JUDGE = 1, 2, 3
PENDING, CONFIRMED, REJECTED = EntryStatus.PENDING, EntryStatus.CONFIRMED, EntryStatus.REJECTED
OPEN, SIGNED_OFF, SETUP = TradeStatus.OPEN, TradeStatus.SIGNED_OFF, TradeStatus.SETUP


@pytest.mark.parametrize(
    "entered_by, status, trade_status, decider, problem",
    [
        (CLERK, PENDING, OPEN, Decider(SECOND, True), None),
        (None, PENDING, OPEN, Decider(SECOND, True), None),  # typed in at the command line
        (CLERK, PENDING, OPEN, Decider(CLERK, True), SELF_CONFIRMATION),
        (CLERK, PENDING, OPEN, Decider(JUDGE, True), OWN_MARKS),  # a chief who also marks
        (CLERK, PENDING, OPEN, Decider(SECOND, False), NOT_A_CONFIRMER),  # a judge, a supervisor
        (CLERK, PENDING, OPEN, Decider(None, True), NOT_A_CONFIRMER),  # the command line
        (CLERK, PENDING, SIGNED_OFF, Decider(SECOND, True), LOCKED),
        (CLERK, PENDING, SETUP, Decider(SECOND, True), NOT_OPEN),
        (CLERK, CONFIRMED, OPEN, Decider(SECOND, True), ALREADY_DECIDED),
        (CLERK, REJECTED, OPEN, Decider(SECOND, True), ALREADY_DECIDED),
        (CLERK, REJECTED, OPEN, Decider(CLERK, False), ALREADY_DECIDED),  # the first reason
        (CLERK, PENDING, SIGNED_OFF, Decider(CLERK, True), SELF_CONFIRMATION),
    ],
    ids=["second-person", "cli-entry", "self", "own-marks", "not-confirmer", "no-person",
         "signed-off", "not-open", "confirmed", "rejected", "decided-first", "self-before-lock"],
)
def test_who_may_decide_an_entry(entered_by, status, trade_status, decider, problem):
    found = decide_problem(EntryFacts(entered_by, JUDGE, status, trade_status), decider)
    assert (found.message if found else None) == problem


@pytest.mark.parametrize(
    "entered, confirmed, found",
    [
        ({("1", "A1"): D("7.5")}, {("1", "A1"): D("7.50")}, []),  # the same number
        ({("1", "A1"): D("7.5")}, {("1", "A1"): D("5.7")},
         [Difference(("1", "A1"), D("7.5"), D("5.7"))]),
        ({("1", "A1"): D(7)}, {}, [Difference(("1", "A1"), D(7), None)]),  # left empty
        ({}, {("2", "A2"): D(2)}, [Difference(("2", "A2"), None, D(2))]),  # typed only second
        ({("2", "A1"): D(1), ("1", "A1"): D(3), ("1", "A2"): D(2)},
         {("2", "A1"): D(2), ("1", "A1"): D(4), ("1", "A2"): D(2)},
         [Difference(("1", "A1"), D(3), D(4)), Difference(("2", "A1"), D(1), D(2))]),
        ({}, {}, []),
    ],
    ids=["agree", "differ", "missing-second", "missing-first", "in-cell-order", "both-empty"],
)
def test_differences_cell_by_cell(entered, confirmed, found):
    assert differences(entered, confirmed) == found
