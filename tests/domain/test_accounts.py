"""Accounts' rules: one form of a username, masked usernames in logs, who may reset whose
password, and how long a login waits after failed attempts."""

from __future__ import annotations

import pytest

from competition.domain.accounts import (
    LoginLimits,
    fold_username,
    gate_wait,
    mask_username,
    may_reset_password,
    username_problem,
)
from competition.domain.roles import Role


@pytest.mark.parametrize("typed, stored", [
    ("zhangwei", "zhangwei"),
    ("ZhangWei", "zhangwei"),
    ("  ZhangWei ", "zhangwei"),
    ("ＺＨＡＮＧＷＥＩ", "zhangwei"),        # full-width letters
    ("ÇAĞLA", "çağla"),                 # non-ASCII capitals SQLite's lower() leaves alone
    ("STRASSE", "strasse"),
    ("Straße", "strasse"),              # case folding, not lower-casing
    ("ΣΊΣΥΦΟΣ", "σίσυφοσ"),
    ("hn2026-J0042", "hn2026-j0042"),
    ("张伟", "张伟"),
    ("Ｋ\u0301", "ḱ"),                  # folded, then composed again
], ids=["plain", "capitals", "spaces", "full-width", "turkish", "eszett-capitals", "eszett",
        "greek", "judge-number", "chinese", "recomposed"])
def test_usernames_fold_to_one_form(typed, stored):
    assert fold_username(typed) == stored
    assert fold_username(stored) == stored  # folding twice changes nothing


@pytest.mark.parametrize("typed, problem", [
    ("", "Give a username."), ("   ", "Give a username."), ("a" * 64, None),
    ("a" * 65, "A username has at most 64 characters."),
    ("ﬃ" * 30, "A username has at most 64 characters."),  # 30 ligatures fold to 90 letters
])
def test_a_username_must_fold_to_something_that_fits(typed, problem):
    found = username_problem(typed)
    assert (found.render() if found else None) == problem


@pytest.mark.parametrize("typed, shown", [
    ("zhangwei", "z***i"), ("ZhangWei", "z***i"), ("abc", "***"), ("", "***"),
    ("13912345678", "1***8"), ("my secret password", "m***d"),
])
def test_logs_show_a_masked_username(typed, shown):
    assert mask_username(typed) == shown


ALL = list(Role)


@pytest.mark.parametrize("actor, allowed", [
    (Role.ADMINISTRATOR, {Role.ORGANIZER, Role.CHIEF_JUDGE, Role.JUDGE, Role.SUPERVISOR}),
    (Role.ORGANIZER, {Role.JUDGE}),
    (Role.CHIEF_JUDGE, set()),
    (Role.JUDGE, set()),
    (Role.SUPERVISOR, set()),
])
def test_who_may_give_whom_a_new_password(actor, allowed):
    assert {role for role in ALL if may_reset_password(actor, role)} == allowed


DEFAULT = LoginLimits()


@pytest.mark.parametrize("attempt, wait", [
    (1, 0), (4, 0),            # the first four attempts since the last login are free
    (5, 1), (6, 2), (7, 4), (8, 8), (14, 512),   # then 2^(n-5) seconds after the n-th
    (15, 900), (60, 900), (10**6, 900),           # at most 15 minutes
])
def test_waits_grow_after_five_attempts(attempt, wait):
    assert gate_wait(attempt, DEFAULT) == wait


@pytest.mark.parametrize("attempt, wait", [(1, 1), (2, 2), (3, 4), (11, 900)])
def test_from_a_hot_address_no_attempt_is_free(attempt, wait):
    assert gate_wait(attempt, DEFAULT, hot_address=True) == wait


def test_the_limits_scale_with_their_settings():
    limits = LoginLimits(free_failures=3, first_wait=60, max_wait=3600)
    assert [gate_wait(n, limits) for n in range(1, 8)] == [0, 0, 60, 120, 240, 480, 960]
    assert gate_wait(20, limits) == 3600


@pytest.mark.parametrize("setting", ["free_failures", "first_wait", "max_wait",
                                     "address_failures", "address_window", "memory"])
@pytest.mark.parametrize("value", [0, -1, "5", 1.5, True])
def test_limits_that_make_no_sense_are_refused(setting, value):
    with pytest.raises(ValueError, match=setting):
        LoginLimits(**{setting: value})
