"""Login limits at the web's edge: their settings checked when the app starts, and what a
refused login is answered, in the user's language.

The counting is ``services.accounts.log_in``, in the shared counter store (Redis when
``REDIS_URL`` is set, else the database), so that every worker and host sees the same counts:
after the free failed attempts an account waits a growing time (429, saying how long); a
configured store that cannot be reached refuses the login (503), never lets it through
uncounted.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from flask_babel import ngettext

from competition.services import accounts

UNAVAILABLE_RETRY = 30  # seconds a client is told to wait when the counter store is down


def init_app(app: Flask) -> None:
    """Refuse to start with login limits that make no sense (say LOGIN_MAX_WAIT=0)."""
    try:
        accounts.login_limits(app.config)
    except ValueError as error:
        raise RuntimeError(f"Login limit settings: {error}") from None


def waiting(seconds: int) -> tuple[str, int, dict[str, str]]:
    """The message, status and headers of a login refused while the account waits."""
    if seconds >= 120:
        minutes = -(-seconds // 60)
        message = ngettext("Too many failed attempts for this account. Try again in %(num)s "
                           "minute.", "Too many failed attempts for this account. Try again in "
                           "%(num)s minutes.", minutes)
    else:
        message = ngettext("Too many failed attempts for this account. Try again in %(num)s "
                           "second.", "Too many failed attempts for this account. Try again in "
                           "%(num)s seconds.", seconds)
    return message, 429, {"Retry-After": str(seconds)}


def unavailable() -> tuple[str, int, dict[str, str]]:
    """The message, status and headers of a login refused because the counter store is down."""
    return (_("Logging in is not possible just now: the service that counts login attempts "
              "cannot be reached. Try again in a minute; if it lasts, tell the organizers."),
            503, {"Retry-After": str(UNAVAILABLE_RETRY)})
