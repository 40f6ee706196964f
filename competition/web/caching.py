"""HTTP caching of public responses and static files.

**Public pages and the public API** are the same for every anonymous visitor, so for a visitor
who brings no session cookie they are sent ``Cache-Control: public`` with a short ``max-age``
for browsers and a shorter ``s-maxage`` for shared caches (nginx's ``proxy_cache``, a CDN), and
they set no cookie. A page rendered for such a visitor therefore carries no CSRF token (a shared
copy must not hold one visitor's token, and creating one would start a session): the language
switch of a public page fetches the visitor's token when it is used (``static/js/public.js``).
A visitor with a session (logged in, or who chose a language) gets the same pages ``private``.
A response that sets a cookie is never public (``web.security`` makes sure).

Every public response has a validator. An HTML page's ETag is computed before rendering from what
decides the page — the results version (none while the event is under embargo, so the tag does
not move with publications nobody may see yet), the language, the URL, the viewer and the current
minute (so set-up changes such as a renamed delegation show within a minute) — and keyed with the
app's secret, so it reveals none of them; a matching ``If-None-Match`` is answered 304 without
rendering. JSON's ETag is a hash of its body.

**Static files** are linked with a hash of their content in the URL (``?v=…``, added to every
``url_for('static', ...)``), so a versioned URL can be kept for a year: a new release links new
URLs and is never stuck behind old copies.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask, Response, current_app, g, jsonify, make_response, request
from flask_babel import get_locale
from flask_login import current_user

from competition.models import Event
from competition.services import results

HTML_MAX_AGE = 15  # seconds a browser keeps a public page
JSON_MAX_AGE = 30  # seconds a browser keeps public JSON
SHARED_MAX_AGE = 10  # seconds a proxy or CDN serves its copy before asking again
STATIC_MAX_AGE = 365 * 24 * 3600  # a versioned static file never changes
_digests: dict[tuple[str, int], str] = {}


def for_everyone() -> bool:
    """Whether this request's answer is the one every anonymous visitor gets: no session cookie
    came with it and nobody is logged in."""
    return (current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
            and not current_user.is_authenticated)


def _cache_control(response: Response, shared: bool, max_age: int) -> None:
    control = response.cache_control
    control.max_age = max_age
    if shared:
        control.public = True
        control.s_maxage = min(max_age, SHARED_MAX_AGE)
    else:
        control.private = True


def _page_tag(event: Event | None, shared: bool) -> str:
    viewer = "-" if shared or not current_user.is_authenticated else current_user.get_id()
    version = (event.results_stamp if results.is_public(event) else "embargo") if event else 0
    parts = (event.id if event else 0, version, str(get_locale()), request.full_path, viewer,
             int(time.time() // 60))
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, repr(parts).encode(), hashlib.sha256).hexdigest()[:32]


def _no_token() -> str:
    return ""


def public_request() -> None:
    """Before every request of the public pages and the API: a visitor without a session gets
    pages (error pages included) that start none."""
    g.shared_render = for_everyone()


def page(event: Event | None, render: Callable[[], str | tuple], max_age: int = HTML_MAX_AGE
         ) -> Response:
    """A public HTML page, answered 304 without rendering when the browser (or the proxy) has
    it already; public for anonymous visitors without a session (see the module docstring)."""
    shared = for_everyone()
    tag = _page_tag(event, shared)
    if request.if_none_match.contains(tag):
        response = Response(status=304)
    else:
        g.shared_render = shared
        response = make_response(render())
    response.set_etag(tag)
    _cache_control(response, shared, max_age)
    response.vary.add("Accept-Language")
    return response


def uncached(render: Callable[[], str | tuple]) -> Response:
    """A public page that no cache may keep (the verification page, whose answer changes the
    moment a certificate is revoked): ``no-store``, and, as on every public page, no session
    started for a visitor who has none."""
    g.shared_render = for_everyone()
    response = make_response(render())
    response.cache_control.no_store = True
    return response


def json(data: dict, max_age: int = JSON_MAX_AGE, status: int = 200,
         per_language: bool = False) -> Response:
    """A public JSON response with a body-hash ETag, 304 when the client has it; ``per_language``
    when it holds translated text."""
    response = jsonify(data)
    response.status_code = status
    if status == 200:
        _cache_control(response, for_everyone(), max_age)
        if per_language:
            response.vary.add("Accept-Language")
        response.add_etag()
        response.make_conditional(request)
    else:
        response.cache_control.no_store = True
    return response


def _static_digest(filename: str) -> str | None:
    path = Path(current_app.static_folder or "") / filename
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    key = (filename, stamp)
    if key not in _digests:
        _digests[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return _digests[key]


def init_app(app: Flask) -> None:
    """Versioned static URLs with long lifetimes, and public pages rendered without a session
    token for visitors without a session."""

    @app.url_defaults
    def versioned_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            digest = _static_digest(values["filename"])
            if digest:
                values["v"] = digest

    @app.after_request
    def static_lifetime(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code in (200, 304):
            versioned = request.args.get("v")
            if versioned and versioned == _static_digest(request.view_args.get("filename", "")):
                response.cache_control.public = True
                response.cache_control.no_cache = None  # Flask's default for static files
                response.cache_control.max_age = STATIC_MAX_AGE
                response.cache_control.immutable = True
            else:
                response.cache_control.public = True
                response.cache_control.no_cache = True
        return response

    @app.context_processor
    def shared_pages_hold_no_token() -> dict:
        return {"csrf_token": _no_token} if g.get("shared_render") else {}
