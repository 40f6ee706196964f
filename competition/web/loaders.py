"""Loading the objects a URL names, with their scope checked: 404 when there is no such thing,
403 (logged) when the current user does not belong to its event."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from competition.extensions import db
from competition.models import Criterion, Delegation, Event, Trade
from competition.services.setup import find_trade
from competition.web.access import belongs, refuse


def public_event_or_404(code: str) -> Event:
    """The event by code, for pages anyone may read."""
    event = db.session.scalar(sa.select(Event).where(Event.code == code))
    if event is None:
        abort(404)
    return event


def event_or_404(code: str) -> Event:
    """The event by code: 404 if there is none, 403 if the current user does not belong to it."""
    event = public_event_or_404(code)
    if not belongs(event):
        refuse(f"event {code} out of scope")
    return event


def trade_or_404(event: Event, code: str) -> Trade:
    """The event's trade by code (the event already loaded by one of the above)."""
    trade = find_trade(event, code)
    if trade is None:
        abort(404)
    return trade


def trade_by_id_or_404(trade_id: int) -> Trade:
    """A trade by id, within the current user's event."""
    trade = db.session.get(Trade, trade_id)
    if trade is None:
        abort(404)
    if not belongs(trade.event):
        refuse(f"trade {trade_id} out of scope")
    return trade


def delegation_or_404(event: Event, code: str | None) -> Delegation | None:
    """The event's delegation by code; None when no code is given."""
    if not code:
        return None
    found = db.session.scalar(sa.select(Delegation).where(Delegation.event_id == event.id,
                                                          Delegation.code == code))
    if found is None:
        abort(404)
    return found


def in_event_or_404(model, object_id: int, event: Event):
    """An object of ``model`` (any model with ``event_id``) by id, within ``event``."""
    obj = db.session.get(model, object_id)
    if obj is None or obj.event_id != event.id:
        abort(404)
    return obj


def optional_trade_or_404(event: Event, code: str | None) -> Trade | None:
    return trade_or_404(event, code) if code else None


def scheme_part_or_404(trade: Trade, model, part_id: int | None):
    """The criterion or aspect ``part_id`` of this trade (None for a new one); 404 otherwise."""
    if part_id is None:
        return None
    part = db.session.get(model, part_id)
    owner = part and (part.trade_id if isinstance(part, Criterion) else part.criterion.trade_id)
    if part is None or owner != trade.id:
        abort(404)
    return part

