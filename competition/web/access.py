"""Who may see what, at the view: the session's user, roles declared on each view, and the
questions templates ask ("may this user organise this event?") so that no template lists roles.

Every view declares its roles with :func:`role_required`; objects are then checked for scope by
the loaders (``competition.web.loaders``) and again by the services.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from flask import abort, request
from flask_login import current_user

from competition.domain import roles
from competition.domain.panel import MIN_PANEL
from competition.domain.roles import Role
from competition.domain.trade_state import is_signed_off, marks_problem, may, scheme_problem
from competition.extensions import db, login
from competition.models import Event, Trade, User

log = logging.getLogger("competition.access")

ORGANIZING = roles.ORGANIZING
READING = roles.READING
SCORING = roles.SCORING
EVERYONE_OF_AN_EVENT = (*READING, *SCORING)


def load_user(session_id: str) -> User | None:
    """Load the session's user unless the account was disabled or its sessions invalidated."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_enabled or user.session_version != int(version):
        return None
    return user


def role_required(*allowed: Role) -> Callable:
    """Refuse (403) anyone logged in without one of ``allowed``; send anonymous users to log in."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login.unauthorized()
            if current_user.role not in allowed:
                refuse(f"role {current_user.role} not in {[str(r) for r in allowed]}")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def refuse(reason: str) -> None:
    """Log a refused access and answer 403."""
    who = current_user.username if current_user.is_authenticated else "anonymous"
    log.warning("refused %s %s for %s: %s", request.method, request.path, who, reason)
    abort(403)


def belongs(event: Event) -> bool:
    return current_user.is_authenticated and roles.belongs_to(current_user.role,
                                                              current_user.event_id, event.id)


# --- what templates ask -------------------------------------------------------------------------

def organizes(event: Event | None = None) -> bool:
    """The current user organises (this event, when given)."""
    if not current_user.is_authenticated or not roles.organizes(current_user.role):
        return False
    return event is None or belongs(event)


def reads_everything() -> bool:
    """The current user sees everything of their event (organizers, supervisors, admins)."""
    return current_user.is_authenticated and roles.reads_everything(current_user.role)


def is_administrator() -> bool:
    return current_user.is_authenticated and current_user.role == Role.ADMINISTRATOR


def scores() -> bool:
    """The current user is a judge or a chief judge."""
    return current_user.is_authenticated and roles.scores(current_user.role)


def trade_allows(trade: Trade, action: str) -> bool:
    """Whether the trade's state allows ``action``: a move (open, sign_off, unlock), or
    ``marks`` (marks may be written), ``scheme`` (the marking scheme may change), ``publish``
    (its results may be published)."""
    if action == "publish":
        return is_signed_off(trade.status)
    if action == "marks":
        return marks_problem(trade.status) is None
    if action == "scheme":
        return scheme_problem(trade.status) is None
    return may(trade.status, action)


def template_helpers() -> dict:
    return {"organizes": organizes, "reads_everything": reads_everything,
            "is_administrator": is_administrator, "scores": scores,
            "trade_allows": trade_allows, "MIN_PANEL": MIN_PANEL,
            "JUDGING_STAFF": roles.JUDGING_STAFF}
