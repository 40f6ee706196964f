"""Accounts: the one form of a username, how a username shows in logs, who may reset whose
password, and how long a login waits after failed attempts.

Usernames are compared in one form on every database: NFKC (full-width letters and digits
become ordinary ones), then Unicode case folding (``ZhangWei``, ``ＺＨＡＮＧＷＥＩ`` and ``zhangwei`` are
one name; so are ``ÇAĞLA`` and ``çağla``, which SQLite's ``lower()`` does not fold). The folded
form is what is stored and what every lookup compares with.

Failed logins slow down guessing per account, wherever the attempts come from: the first
:attr:`LoginLimits.free_failures` attempts since the last successful login are free; from then
on each attempt closes the account's gate for a growing time, ``first_wait × 2^(n − free)``
seconds after the n-th attempt (1, 2, 4, 8 … s by default), at most ``max_wait``; an attempt
while the gate is closed is refused without looking at the password. A successful login opens
the gate and starts the count again.

An address behind which many logins fail (a venue's shared address under a guessing attack) is
never blocked as a whole: 300 judges behind one address who type their passwords right all get
in. Once more than ``address_failures`` failures came from one address within
``address_window`` seconds, accounts tried from there have no free attempts: every attempt
closes the account's gate, so a typo costs its judge a second, and guessing across many
accounts from that address meets the growing wait at once.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from competition.domain.messages import N_, Problem
from competition.domain.roles import Role

USERNAME_MAX_LENGTH = 64


def fold_username(raw: str | None) -> str:
    """The stored and compared form of a username: NFKC, case-folded, NFKC again (folding can
    leave characters that NFKC composes), without surrounding spaces."""
    text = unicodedata.normalize("NFKC", (raw or "").strip())
    return unicodedata.normalize("NFKC", text.casefold()).strip()


def username_problem(raw: str | None) -> Problem | None:
    """A username that folds to nothing or to more than the column holds."""
    folded = fold_username(raw)
    if not folded:
        return Problem(N_("Give a username."))
    if len(folded) > USERNAME_MAX_LENGTH:
        return Problem(N_("A username has at most %(n)s characters."), {"n": USERNAME_MAX_LENGTH})
    return None


def mask_username(raw: str | None) -> str:
    """A username as logs show it when a login fails: its first and last character around
    three stars (``z***i``), nothing for one of three characters or fewer. Whatever was typed
    into the username field (a password, a phone number) stays out of the log."""
    text = fold_username(raw)
    if len(text) <= 3:
        return "***"
    return f"{text[0]}***{text[-1]}"


def may_reset_password(actor: Role | str, account: Role | str) -> bool:
    """An organizer may give a judge a new password; only an administrator may do so for a
    chief judge, a supervisor or an organizer, whose accounts weigh more (a chief judge resolves
    and signs off, a supervisor reads the audit log). Administrators' own accounts are reset on
    the command line only."""
    if account == Role.ADMINISTRATOR:
        return False
    if actor == Role.ADMINISTRATOR:
        return True
    return actor == Role.ORGANIZER and account == Role.JUDGE


@dataclass(frozen=True)
class LoginLimits:
    """The settings of login throttling (see the module's docstring)."""

    free_failures: int = 5
    first_wait: int = 1
    max_wait: int = 900
    address_failures: int = 30
    address_window: int = 300
    memory: int = 86_400  # attempts are forgotten a day after the first one counted

    def __post_init__(self) -> None:
        for name in ("free_failures", "first_wait", "max_wait", "address_failures",
                     "address_window", "memory"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"login limit {name} must be a whole number of at least 1, "
                                 f"not {value!r}")


def gate_wait(attempt: int, limits: LoginLimits, hot_address: bool = False) -> int:
    """Seconds the account's gate stays closed after its ``attempt``-th attempt since the last
    successful login (0: no gate yet). From a hot address no attempt is free."""
    free = 1 if hot_address else limits.free_failures
    if attempt < free:
        return 0
    exponent = min(attempt - free, 40)
    return min(limits.max_wait, limits.first_wait * 2 ** exponent)


class AccountEventKind(StrEnum):
    """What happened to an account (the account log supervisors read)."""

    CREATED = "created"
    PASSWORD_RESET = "password_reset"
    PASSWORD_CHANGED = "password_changed"
    DISABLED = "disabled"
    ENABLED = "enabled"
    DELEGATION_CHANGED = "delegation_changed"


ACCOUNT_EVENTS = {
    AccountEventKind.CREATED: N_("Account created with an initial password"),
    AccountEventKind.PASSWORD_RESET: N_("New password made by someone else"),
    AccountEventKind.PASSWORD_CHANGED: N_("Password changed by its holder"),
    AccountEventKind.DISABLED: N_("Account disabled"),
    AccountEventKind.ENABLED: N_("Account enabled"),
    AccountEventKind.DELEGATION_CHANGED: N_("Delegation changed"),
}
