"""Who may see what: the session loader, role checks at the view, scope checks on objects.

Every organizer page passes through :func:`event_in_scope`, which 404s an unknown event and 403s
an event the user does not belong to; roles are declared on the view with :func:`role_required`.
"""

from __future__ import annotations

import logging
from functools import wraps
from typing import Callable

import sqlalchemy as sa
from flask import Flask, abort, request
from flask_login import current_user

from competition.extensions import db, login
from competition.models import Event, Role, Trade, User
from competition.services.setup import find_trade

log = logging.getLogger("competition.access")

ORGANIZING = (Role.ADMINISTRATOR, Role.ORGANIZER)
READING = (Role.ADMINISTRATOR, Role.ORGANIZER, Role.SUPERVISOR)


@login.user_loader
def load_user(session_id: str) -> User | None:
    """Load the session's user unless the account was disabled or its sessions invalidated."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_enabled or user.session_version != int(version):
        return None
    return user


def role_required(*roles: Role) -> Callable:
    """Refuse (403) anyone logged in without one of ``roles``; send anonymous users to log in."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login.unauthorized()
            if current_user.role not in roles:
                refuse(f"role {current_user.role} not in {[str(r) for r in roles]}")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def refuse(reason: str) -> None:
    """Log a refused access and answer 403."""
    who = current_user.username if current_user.is_authenticated else "anonymous"
    log.warning("refused %s %s for %s: %s", request.method, request.path, who, reason)
    abort(403)


def can_see_event(user: User, event: Event) -> bool:
    return user.role == Role.ADMINISTRATOR or user.event_id == event.id


def event_in_scope(event_code: str) -> Event:
    """The event by code: 404 if there is none, 403 if the current user does not belong to it."""
    event = db.session.scalar(sa.select(Event).where(Event.code == event_code))
    if event is None:
        abort(404)
    if not can_see_event(current_user, event):
        refuse(f"event {event_code} out of scope")
    return event


def trade_in_event(event: Event, trade_code: str) -> Trade:
    """The event's trade by code (the event already checked with :func:`event_in_scope`): 404
    if there is none."""
    trade = find_trade(event, trade_code)
    if trade is None:
        abort(404)
    return trade


def init_app(app: Flask) -> None:
    @app.context_processor
    def roles() -> dict:
        return {"Role": Role}
