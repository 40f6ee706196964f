"""Loading the objects a URL names, with their scope checked: 404 when there is no such thing,
403 (logged) when the current user does not belong to its event."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import sqlalchemy as sa
from flask import abort

from competition.domain.roles import Role
from competition.extensions import db
from competition.models import Criterion, Delegation, Event, Trade
from competition.services.setup import find_trade
from competition.web.access import belongs, refuse, role_required


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



# --- views that act on an event or a trade ---------------------------------------------------

def _loading(allowed: tuple[Role, ...], load: Callable[[dict], dict]) -> Callable:
    """A view decorator: the roles first (403, or the login page), then ``load`` turns the URL
    values into the objects the view receives."""
    def decorator(view: Callable) -> Callable:
        @role_required(*allowed)
        @wraps(view)
        def wrapped(**values):
            return view(**load(values))
        return wrapped
    return decorator


def _event(values: dict) -> dict:
    values["event"] = event_or_404(values.pop("event_code"))
    return values


def for_event(*allowed: Role) -> Callable:
    """Declare a view's roles and load its event: the view receives ``event`` (scope-checked,
    from ``<event_code>``)."""
    return _loading(allowed, _event)


def for_trade(*allowed: Role, code: str = "trade_code") -> Callable:
    """As :func:`for_event`, and the event's trade named by ``<trade_code>`` (or the URL value
    ``code``): the view receives ``event`` and ``trade``."""
    def load(values: dict) -> dict:
        values = _event(values)
        values["trade"] = trade_or_404(values["event"], values.pop(code))
        return values
    return _loading(allowed, load)


def for_trade_id(*allowed: Role) -> Callable:
    """Declare a view's roles and load the trade of ``<trade_id>`` (within the user's event):
    the view receives ``trade``."""
    def load(values: dict) -> dict:
        values["trade"] = trade_by_id_or_404(values.pop("trade_id"))
        return values
    return _loading(allowed, load)
