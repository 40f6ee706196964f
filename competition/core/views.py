"""The home page (the list of competitions, or an organizer's own dashboard) and the language
switch."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user

from competition.domain.roles import reads_everything
from competition.extensions import db
from competition.models import Event
from competition.web import LANGUAGES
from competition.web.paging import safe_next

bp = Blueprint("core", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated and reads_everything(current_user.role):
        return redirect(url_for("setup.events"))
    events = db.session.scalars(sa.select(Event).order_by(Event.start_date.desc().nullslast(),
                                                          Event.code)).all()
    return render_template("index.html", events=events)


@bp.post("/language")
def set_language():
    lang = request.form.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
    return redirect(safe_next(request.form.get("next"), url_for("core.index")))
