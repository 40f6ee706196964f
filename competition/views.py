"""Pages that belong to no single task: the home page, the language switch, error pages."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, Flask, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user

from competition.domain.idcard import mask_id
from competition.domain.people import mask_phone
from competition.extensions import db
from competition.models import Event, Role

bp = Blueprint("core", __name__)
MAX_PAGE = 100_000


def page_number() -> int:
    """A list's ``?page=``: junk reads as 1, and no number runs past what an OFFSET can hold."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)


def safe_next(target: str | None, default: str) -> str:
    """A redirect target on this site only (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    # Browsers read "/\evil.com" and "/<tab>/evil.com" as "//evil.com": refuse both.
    if "\\" in target or any(ch.isspace() or ord(ch) < 32 for ch in target):
        return default
    return target


@bp.get("/")
def index():
    if current_user.is_authenticated:
        if current_user.role in (Role.ADMINISTRATOR, Role.ORGANIZER, Role.SUPERVISOR):
            return redirect(url_for("setup.events"))
    events = db.session.scalars(sa.select(Event).order_by(Event.start_date.desc().nullslast(),
                                                          Event.code)).all()
    return render_template("index.html", events=events)


@bp.post("/language")
def set_language():
    lang = request.form.get("lang")
    if lang in ("zh", "en"):
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("core.index")))


def init_app(app: Flask) -> None:
    app.add_template_filter(mask_id, "mask_id")
    app.add_template_filter(mask_phone, "mask_phone")

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

    for code in (400, 403, 404, 405, 413, 422, 429, 500):
        app.register_error_handler(code, error_page(code))
