"""Security settings every response shares: headers, proxies, sessions and login rate limits."""

from __future__ import annotations

import logging

from flask import Flask, abort, current_app, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

from competition.web import caching, login_limits

log = logging.getLogger("competition.security")

# No inline script anywhere (every script is a file under static/js); inline style attributes
# are allowed for bar widths computed by templates.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def sets_cookie() -> bool:
    """Whether the response to this request will carry the session cookie (set or deleted)."""
    if not session:
        return session.modified
    return current_app.session_interface.should_set_cookie(current_app, session)


def init_app(app: Flask) -> None:
    if app.config.get("PROXY_COUNT"):
        # Behind a reverse proxy: trust its X-Forwarded-For/-Proto so that rate limits see the
        # real address and HTTPS is recognised (HSTS, secure cookies).
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    login_limits.init_app(app)
    caching.init_app(app)

    @app.before_request
    def refuse_nul() -> None:
        # No text holds a NUL, and PostgreSQL refuses one in any query: 400, not a 500.
        fields = (*request.args.items(multi=True), *request.form.items(multi=True))
        if "\x00" in request.path or any("\x00" in k or "\x00" in v for k, v in fields):
            abort(400)

    @app.after_request
    def sessions(response):
        # A session that holds anything (a login, a language, a form's token) is permanent and
        # renewed on every response, so PERMANENT_SESSION_LIFETIME is an idle timeout: a judge
        # active all day stays logged in, a forgotten tablet does not. An anonymous visitor
        # without a session gets none: public pages and the API set no cookie, so shared caches
        # may keep them.
        if session:
            session.permanent = True
        if sets_cookie() and response.cache_control.public:
            # A response that sets a cookie is this visitor's alone: never in a shared cache.
            response.cache_control.public = False
            response.cache_control.s_maxage = None
            response.cache_control.private = True
        return response

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
