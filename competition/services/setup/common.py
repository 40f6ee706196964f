"""Shared checks of the set-up services: codes and names unique within an event."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.models import Contestant, Event, ResultVersion
from competition.services.errors import Invalid

TAKEN_CODE = Problem(N_("This code is already used in this event."))
TAKEN_NAME = Problem(N_("This name is already used in this event."))


def taken(model, event_id: int, column, value: str, except_id: int | None) -> bool:
    query = sa.select(model.id).where(model.event_id == event_id,
                                      sa.func.lower(column) == value.lower())
    if except_id is not None:
        query = query.where(model.id != except_id)
    return db.session.scalar(query) is not None


def check_code_and_name(model, event: Event, data: dict, except_id: int | None) -> None:
    problems: dict[str | None, Problem] = {}
    if taken(model, event.id, model.code, data["code"], except_id):
        problems["code"] = TAKEN_CODE
    if taken(model, event.id, model.name_zh, data["name_zh"], except_id):
        problems["name_zh"] = TAKEN_NAME
    if problems:
        raise Invalid(problems)


def apply(obj: Any, data: dict, fields: tuple[str, ...]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def has_contestants(**where: int) -> bool:
    """Whether any contestant is registered for this delegation or trade."""
    column, value = next(iter(where.items()))
    return db.session.scalar(sa.select(Contestant.id).where(getattr(Contestant, column) == value)
                             .limit(1)) is not None


def is_published(trade_id: int) -> bool:
    """Whether the trade's results have been published (a version exists)."""
    return db.session.scalar(sa.select(ResultVersion.id).where(ResultVersion.trade_id == trade_id)
                             .limit(1)) is not None
