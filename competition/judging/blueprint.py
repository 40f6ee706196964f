"""The judging pages' blueprint (``/judge``) and what its views share."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, make_response
from flask_babel import get_locale

from competition.domain.roles import SCORING
from competition.web.access import READING

bp = Blueprint("judging", __name__, url_prefix="/judge")

JUDGES = SCORING
EVERYONE = (*READING, *SCORING)


def locale() -> str:
    return str(get_locale() or "zh")


def no_store(view):
    """Score sheets and marks are never cached, by the browser or anything between."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response
    return wrapped
