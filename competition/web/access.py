"""Who may see what, at the view: the session's user, roles declared on each view, and the
questions templates ask ("may this user organise this event?") so that no template lists roles.

Every view declares its roles with :func:`role_required`; objects are then checked for scope by
the loaders (``competition.web.loaders``) and again by the services.

Two rules hold for every page: an account whose password someone else chose (an initial
password, a reset) is sent to change it before anything else (:func:`password_change_first`);
a page that shows personal data (ID numbers, phones, initial passwords) is never stored by a
browser or a proxy (:func:`personal_data`, called by its template).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from flask import abort, g, redirect, request, url_for
from flask_login import current_user

from competition.domain import roles
from competition.domain.accounts import may_reset_password
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


# What an account that must change its password may still reach: the change itself, logging
# out, the language switch, static files, and the public pages, which do not depend on who asks.
UNTIL_CHANGED = frozenset({"auth.password", "auth.logout", "auth.login", "core.set_language",
                           "static"})
PUBLIC_BLUEPRINTS = frozenset({"public", "api"})


def password_change_first():
    """Before every request: send an account that must change its password to the change
    page (keeping where it was going), whatever it asked for."""
    if request.endpoint is None or request.endpoint in UNTIL_CHANGED \
            or request.blueprint in PUBLIC_BLUEPRINTS:
        return None
    if not (current_user.is_authenticated and current_user.must_change_password):
        return None
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    response = redirect(url_for("auth.password", next=target))
    response.headers["Cache-Control"] = "no-store"
    return response


def personal_data() -> str:
    """Called by a template that shows personal data: the response is sent with
    ``Cache-Control: no-store``. Returns "" so that ``{{ personal_data() }}`` prints nothing."""
    g.personal_data = True
    return ""


def keep_out_of_caches(response):
    """After every request: no browser or proxy may store a page with personal data."""
    if g.get("personal_data"):
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("ETag", None)
    return response


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


def may_reset(user: User) -> bool:
    """The current user may make a new password for ``user`` (an organizer: judges only)."""
    return current_user.is_authenticated and may_reset_password(current_user.role, user.role)


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
            "is_administrator": is_administrator, "scores": scores, "may_reset": may_reset,
            "personal_data": personal_data,
            "trade_allows": trade_allows, "MIN_PANEL": MIN_PANEL,
            "JUDGING_STAFF": roles.JUDGING_STAFF}
