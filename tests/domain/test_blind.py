"""Blind judging: who sees names, who sees the code mapping, how a judge's page labels an
entrant."""

from __future__ import annotations

import pytest

from competition.domain.blind import entrant_label, is_blind, sees_code_mapping, sees_identity
from competition.domain.roles import Role


@pytest.mark.parametrize("role, uses_codes, revealed, sees", [
    (Role.JUDGE, True, False, False),
    (Role.CHIEF_JUDGE, True, False, False),
    (Role.JUDGE, True, True, True),
    (Role.JUDGE, False, False, True),
    (Role.ORGANIZER, True, False, True),
    (Role.SUPERVISOR, True, False, True),
    (Role.ADMINISTRATOR, True, False, True),
], ids=["judge-blind", "chief-blind", "judge-revealed", "judge-no-codes", "organizer",
        "supervisor", "administrator"])
def test_who_sees_names(role, uses_codes, revealed, sees):
    assert sees_identity(role, uses_codes, revealed) is sees


@pytest.mark.parametrize("role, revealed, sees", [
    (Role.ORGANIZER, False, True), (Role.ADMINISTRATOR, False, True),
    (Role.SUPERVISOR, False, False), (Role.CHIEF_JUDGE, False, False), (Role.JUDGE, True, True),
])
def test_who_sees_the_code_mapping(role, revealed, sees):
    assert sees_code_mapping(role, revealed) is sees


@pytest.mark.parametrize("blind, code, draw, label", [
    (True, "X17", 4, "X17"), (True, None, 4, "?9"), (False, "X17", 4, "4"), (False, None, None, "#9"),
])
def test_entrant_label(blind, code, draw, label):
    assert entrant_label(blind, code, draw, 9) == label


def test_blind_only_while_codes_are_used_and_hidden():
    assert is_blind(True, False) and not is_blind(True, True) and not is_blind(False, False)
