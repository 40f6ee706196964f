"""A trade's scoring state and the moves between states (DOMAIN.md, "Integrity").

```
setup ──open──▶ open ──sign off──▶ signed off
                  ▲                    │
                  └──────unlock────────┘
```

- An organizer **opens** a trade that is being set up (it needs a usable marking scheme and
  judges; the service checks those facts).
- The chief judge **signs off** an open trade: its marks lock.
- An organizer **unlocks** a signed-off trade, with a reason; every later change needs a reason.

Each illegal move has its own refusal. The guards below say what else the state allows: marks are
written only while open, the marking scheme and the draw change only during set-up, entrants
change until sign-off, codes are revealed and results published only once signed off.
"""

from __future__ import annotations

from enum import StrEnum

from competition.domain.messages import N_, Problem


class TradeStatus(StrEnum):
    """A trade's scoring state: set up, open for scoring, signed off (marks locked)."""

    SETUP = "setup"
    OPEN = "open"
    SIGNED_OFF = "signed_off"


NOT_OPEN = N_("This trade is not open for scoring.")
"""A mark written before scoring opens."""
LOCKED = N_("This trade is signed off: its marks are locked.")
"""A mark written after sign-off, before an organizer unlocks the trade."""
SCHEME_FIXED = N_("The marking scheme is fixed once scoring has opened.")
"""A criterion or aspect changed once marks may exist."""
ENTRANTS_FIXED = N_("The trade is signed off: its entrants can no longer change.")
"""A registration, correction or withdrawal after sign-off."""
DRAW_FIXED = N_("Scoring has opened: the draw can no longer change.")
"""Numbers or codes drawn again once judges have seen them."""
NOT_DELETABLE = N_("Only a trade still being set up, with nobody registered, can be deleted.")
"""Deleting a trade that has marks or registrations."""
REVEAL_TOO_EARLY = N_("Codes can be revealed only after the trade is signed off.")
"""The anonymous codes revealed while judges may still mark."""


class Move(StrEnum):
    OPEN = "open"
    SIGN_OFF = "sign_off"
    UNLOCK = "unlock"


TRANSITIONS: dict[Move, tuple[TradeStatus, TradeStatus]] = {
    Move.OPEN: (TradeStatus.SETUP, TradeStatus.OPEN),
    Move.SIGN_OFF: (TradeStatus.OPEN, TradeStatus.SIGNED_OFF),
    Move.UNLOCK: (TradeStatus.SIGNED_OFF, TradeStatus.OPEN),
}
REFUSALS: dict[Move, str] = {
    Move.OPEN: N_("Only a trade being set up can be opened for scoring."),
    Move.SIGN_OFF: N_("Only a trade open for scoring can be signed off."),
    Move.UNLOCK: N_("Only a signed-off trade can be unlocked."),
}


def move(status: TradeStatus | str, action: Move | str) -> TradeStatus | Problem:
    """The state ``action`` leads to from ``status``, or the refusal of that move."""
    action = Move(action)
    source, target = TRANSITIONS[action]
    return target if status == source else Problem(REFUSALS[action])


def may(status: TradeStatus | str, action: Move | str) -> bool:
    """Whether ``action`` is a legal move from ``status`` (what a page offers)."""
    return not isinstance(move(status, action), Problem)


def marks_problem(status: TradeStatus | str) -> Problem | None:
    """Why no mark may be written in this state (locked, or not open), or None."""
    if status == TradeStatus.SIGNED_OFF:
        return Problem(LOCKED)
    if status != TradeStatus.OPEN:
        return Problem(NOT_OPEN)
    return None


def scheme_problem(status: TradeStatus | str) -> Problem | None:
    """The marking scheme changes only while the trade is being set up."""
    return None if status == TradeStatus.SETUP else Problem(SCHEME_FIXED)


def entrants_problem(status: TradeStatus | str) -> Problem | None:
    """Entrants are registered, corrected and withdrawn until the trade is signed off."""
    return Problem(ENTRANTS_FIXED) if status == TradeStatus.SIGNED_OFF else None


def draw_problem(status: TradeStatus | str) -> Problem | None:
    """Numbers and codes are drawn before scoring opens."""
    return None if status == TradeStatus.SETUP else Problem(DRAW_FIXED)


def delete_problem(status: TradeStatus | str, has_contestants: bool) -> Problem | None:
    """A trade can be deleted while it is being set up and nobody is registered in it."""
    if status != TradeStatus.SETUP or has_contestants:
        return Problem(NOT_DELETABLE)
    return None


def reveal_problem(status: TradeStatus | str) -> Problem | None:
    """Anonymous codes are revealed only after sign-off."""
    return None if status == TradeStatus.SIGNED_OFF else Problem(REVEAL_TOO_EARLY)


def is_signed_off(status: TradeStatus | str) -> bool:
    return status == TradeStatus.SIGNED_OFF
