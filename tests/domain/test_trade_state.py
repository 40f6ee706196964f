"""A trade's states and moves as the rulebook states them: every allowed move, every refused
one with its own message, and what each state allows."""

from __future__ import annotations

import pytest

from competition.domain.messages import Problem
from competition.domain.trade_state import (
    DRAW_FIXED,
    ENTRANTS_FIXED,
    LOCKED,
    NOT_DELETABLE,
    NOT_OPEN,
    REFUSALS,
    REVEAL_TOO_EARLY,
    SCHEME_FIXED,
    Move,
    TradeStatus,
    delete_problem,
    draw_problem,
    entrants_problem,
    marks_problem,
    may,
    move,
    reveal_problem,
    scheme_problem,
)

SETUP, OPEN, SIGNED_OFF = TradeStatus.SETUP, TradeStatus.OPEN, TradeStatus.SIGNED_OFF


@pytest.mark.parametrize("status, action, result", [
    (SETUP, Move.OPEN, OPEN),
    (OPEN, Move.SIGN_OFF, SIGNED_OFF),
    (SIGNED_OFF, Move.UNLOCK, OPEN),
    (OPEN, Move.OPEN, "Only a trade being set up can be opened for scoring."),
    (SIGNED_OFF, Move.OPEN, "Only a trade being set up can be opened for scoring."),
    (SETUP, Move.SIGN_OFF, "Only a trade open for scoring can be signed off."),
    (SIGNED_OFF, Move.SIGN_OFF, "Only a trade open for scoring can be signed off."),
    (SETUP, Move.UNLOCK, "Only a signed-off trade can be unlocked."),
    (OPEN, Move.UNLOCK, "Only a signed-off trade can be unlocked."),
], ids=["open", "sign-off", "unlock", "open-twice", "reopen-signed-off", "sign-off-setup",
        "sign-off-twice", "unlock-setup", "unlock-open"])
def test_moves(status, action, result):
    outcome = move(status, action)
    if isinstance(result, TradeStatus):
        assert outcome == result and may(status, action)
    else:
        assert isinstance(outcome, Problem) and outcome.message == result
        assert not may(status, action)


def test_every_move_has_its_own_refusal():
    assert len(set(REFUSALS.values())) == len(Move)


@pytest.mark.parametrize("guard, allowed, refusal", [
    (marks_problem, {OPEN}, {SETUP: NOT_OPEN, SIGNED_OFF: LOCKED}),
    (scheme_problem, {SETUP}, {OPEN: SCHEME_FIXED, SIGNED_OFF: SCHEME_FIXED}),
    (entrants_problem, {SETUP, OPEN}, {SIGNED_OFF: ENTRANTS_FIXED}),
    (draw_problem, {SETUP}, {OPEN: DRAW_FIXED, SIGNED_OFF: DRAW_FIXED}),
    (reveal_problem, {SIGNED_OFF}, {SETUP: REVEAL_TOO_EARLY, OPEN: REVEAL_TOO_EARLY}),
], ids=["marks", "scheme", "entrants", "draw", "reveal"])
def test_what_each_state_allows(guard, allowed, refusal):
    for status in TradeStatus:
        problem = guard(status)
        if status in allowed:
            assert problem is None, status
        else:
            assert problem.message == refusal[status], status


@pytest.mark.parametrize("status, registered, deletable", [
    (SETUP, False, True), (SETUP, True, False), (OPEN, False, False), (SIGNED_OFF, False, False),
])
def test_only_an_empty_trade_in_set_up_can_be_deleted(status, registered, deletable):
    problem = delete_problem(status, registered)
    assert (problem is None) == deletable
    assert deletable or problem.message == NOT_DELETABLE
