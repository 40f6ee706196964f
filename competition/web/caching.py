"""HTTP caching of public responses: short max-age, and ETags that move with the results.

An HTML page carries the user's CSRF token (language switch) and name, so it is cached privately
and its ETag is built from what decides its content — the event's results version, the language,
the URL, the viewer, and the current minute (so set-up changes such as a renamed trade show within
a minute) — which lets a revalidation answer 304 before anything is rendered. JSON carries no
per-user data: it is public and its ETag is a hash of the body.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from flask import Response, jsonify, make_response, request
from flask_babel import get_locale
from flask_login import current_user

from competition.models import Event

HTML_MAX_AGE = 15
JSON_MAX_AGE = 30


def _page_tag(event: Event | None) -> str:
    viewer = current_user.get_id() if current_user.is_authenticated else "-"
    parts = (event.id if event else 0, event.results_version if event else 0, get_locale(),
             request.full_path, viewer, int(time.time() // 60))
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:24]


def page(event: Event | None, render: Callable[[], str | tuple], max_age: int = HTML_MAX_AGE
         ) -> Response:
    """A public HTML page, answered 304 without rendering when the browser has it already."""
    tag = _page_tag(event)
    if request.if_none_match.contains(tag):
        response = Response(status=304)
    else:
        response = make_response(render())
    response.set_etag(tag)
    response.cache_control.private = True
    response.cache_control.max_age = max_age
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def json(data: dict, max_age: int = JSON_MAX_AGE, status: int = 200,
         per_language: bool = False) -> Response:
    """A public JSON response with a body-hash ETag, 304 when the client has it."""
    response = jsonify(data)
    response.status_code = status
    if status == 200:
        response.cache_control.public = not per_language
        response.cache_control.private = per_language or None
        response.cache_control.max_age = max_age
        if per_language:
            response.vary.update(("Cookie", "Accept-Language"))
        response.add_etag()
        response.make_conditional(request)
    else:
        response.cache_control.no_store = True
    return response
