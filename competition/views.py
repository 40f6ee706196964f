"""Pages that belong to no single task: the home page, the language switch, error pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

from competition.extensions import db
from competition.models import Role

bp = Blueprint("core", __name__)


def safe_next(target: str | None, default: str) -> str:
    """A redirect target on this site only (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


@bp.get("/")
def index():
    if current_user.is_authenticated:
        if current_user.role in (Role.ADMINISTRATOR, Role.ORGANIZER, Role.SUPERVISOR):
            return redirect(url_for("setup.events"))
    return render_template("index.html")


@bp.post("/language")
def set_language():
    lang = request.form.get("lang")
    if lang in ("zh", "en"):
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("core.index")))


def init_app(app: Flask) -> None:
    @app.context_processor
    def locale() -> dict:
        return {"locale": str(get_locale() or "zh")}

    def error_page(code: int):
        def handler(_error):
            if code == 500:
                db.session.rollback()
            return render_template("error.html", code=code), code

        return handler

    for code in (400, 403, 404, 405, 413, 422, 429, 500):
        app.register_error_handler(code, error_page(code))
