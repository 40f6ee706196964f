"""What every blueprint shares: loading objects with their scope (``loaders``), roles, what
templates may ask, the forced password change and pages kept out of caches (``access``), the
answers to refused logins (``login_limits``), one mapping from a refusal to a message and a status
(``refusals``), file downloads (``downloads``), names of choices (``labels``), template filters
(``filters``), list paging (``paging``), HTTP caching of public pages (``caching``) and the
security settings of every response (``security``).

Blueprints import this package and the services, never one another.
"""

from __future__ import annotations

from flask import Flask, render_template, request, session
from flask_babel import get_locale, gettext
from werkzeug.routing import IntegerConverter

from competition.extensions import db, login
from competition.web import access, labels, security
from competition.web.filters import FILTERS

LANGUAGES = ("zh", "en")
ERROR_PAGES = (400, 403, 404, 405, 413, 422, 429, 500)


class DatabaseInteger(IntegerConverter):
    """``<int:...>`` in URLs: an id beyond the database's integers matches no page (404) instead
    of overflowing in the query."""

    def __init__(self, url_map, *args, max: int = 2**31 - 1, **kwargs):
        super().__init__(url_map, *args, max=max, **kwargs)


def select_locale() -> str:
    """The user's chosen language, else the browser's best match, else Chinese."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or "zh"


def init_app(app: Flask) -> None:
    """Attach the web layer to the app: the user loader, filters, template globals, error pages
    and the security settings."""
    login.user_loader(access.load_user)
    for name, function in FILTERS.items():
        app.add_template_filter(function, name)
    for name, function in {**labels.template_globals(), **access.template_helpers()}.items():
        app.add_template_global(function, name)

    @app.context_processor
    def locale() -> dict:
        # Templates hand ``translate`` to Problem.render and ImportReport: Jinja's own ``_``
        # needs the template context and fails when called from Python.
        return {"locale": str(get_locale() or "zh"), "translate": gettext}

    def error_page(code: int):
        def handler(_error):
            if code == 500:
                db.session.rollback()
            return render_template("error.html", code=code), code

        return handler

    for code in ERROR_PAGES:
        app.register_error_handler(code, error_page(code))
    app.before_request(access.password_change_first)
    app.after_request(access.keep_out_of_caches)
    security.init_app(app)
