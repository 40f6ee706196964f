"""Who does what (DOMAIN.md, "Who uses it"): the roles of an account and what each may see.

Every account but an administrator's belongs to one event. The groups below are the rules the
services check and the pages ask about; no page or service lists roles of its own.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    ORGANIZER = "organizer"
    CHIEF_JUDGE = "chief_judge"
    JUDGE = "judge"
    SUPERVISOR = "supervisor"


ORGANIZING: tuple[Role, ...] = (Role.ADMINISTRATOR, Role.ORGANIZER)
"""Set up the event, register contestants, publish results, print certificates."""

READING: tuple[Role, ...] = (Role.ADMINISTRATOR, Role.ORGANIZER, Role.SUPERVISOR)
"""See everything of an event (supervisors only read)."""

SCORING: tuple[Role, ...] = (Role.JUDGE, Role.CHIEF_JUDGE)
"""Enter marks on the trades they are assigned to."""

JUDGING_STAFF: tuple[Role, ...] = (Role.JUDGE, Role.CHIEF_JUDGE, Role.SUPERVISOR)
"""The accounts an organizer creates and assigns to trades (the judges' list)."""


def organizes(role: Role | str) -> bool:
    return role in ORGANIZING


def reads_everything(role: Role | str) -> bool:
    return role in READING


def scores(role: Role | str) -> bool:
    return role in SCORING


def belongs_to(role: Role | str, user_event_id: int | None, event_id: int) -> bool:
    """An administrator belongs to every event; anyone else to their own."""
    return role == Role.ADMINISTRATOR or user_event_id == event_id
