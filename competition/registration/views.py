"""Organizer pages for registration: contestants, teams, imports, the draw, venue lists."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.blind import sees_code_mapping
from competition.domain.entrants import EntrantStatus
from competition.domain.roles import organizes
from competition.extensions import db
from competition.forms.fields import options
from competition.forms.setup import UploadForm
from competition.models import Contestant, Delegation, Entrant, Trade
from competition.registration import forms
from competition.services import imports, registration
from competition.services.errors import Invalid, NotAllowed
from competition.services.registration import Person
from competition.web import downloads
from competition.web.access import ORGANIZING, READING, role_required
from competition.web.loaders import delegation_or_404, event_or_404, in_event_or_404, trade_or_404
from competition.web.paging import filters, page_number, safe_next
from competition.web.refusals import flash_problem, flash_refusal, show_on_form

bp = Blueprint("registration", __name__, url_prefix="/manage/events/<event_code>")


def _person(form) -> Person:
    return Person(name=form.name.data, gender=form.gender.data or None, id_type=form.id_type.data,
                  id_number=form.id_number.data, birth_date=form.birth_date.data,
                  employer=form.employer.data or "", phone=form.phone.data or "",
                  team_name=getattr(form, "team_name", None) and form.team_name.data,
                  remarks=form.remarks.data or "")


@bp.get("/contestants")
@role_required(*READING)
def contestants(event_code: str):
    event = event_or_404(event_code)
    chosen = filters("q", "trade", "delegation", "status")
    page = registration.contestant_page(event, chosen, page_number())
    return render_template("registration/contestants.html", event=event, page=page,
                           filters=chosen)


@bp.route("/contestants/new", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def new_contestant(event_code: str):
    event = event_or_404(event_code)
    form = forms.ContestantForm()
    form.delegation_id.choices = options((d.id, f"{d.code} {d.name_zh}") for d in event.delegations)
    form.trade_id.choices = options((t.id, f"{t.code} {t.name_zh}") for t in event.trades)
    if form.validate_on_submit():
        trade = in_event_or_404(Trade, form.trade_id.data, event)
        delegation = in_event_or_404(Delegation, form.delegation_id.data, event)
        try:
            contestant = registration.register(event, trade, delegation, _person(form))
        except Invalid as refusal:
            show_on_form(form, refusal, {"delegation": "delegation_id", "trade": "trade_id"})
        except NotAllowed as refusal:
            flash_problem(refusal.problem)
        else:
            flash(_("%(name)s registered as %(number)s.", name=contestant.name,
                    number=contestant.competitor_number), "success")
            if request.form.get("another"):
                return redirect(url_for(".new_contestant", event_code=event.code))
            return redirect(url_for(".contestants", event_code=event.code, trade=trade.code))
    return render_template("registration/contestant_form.html", event=event, form=form,
                           contestant=None), 422 if form.errors else 200


@bp.route("/contestants/<int:contestant_id>", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def edit_contestant(event_code: str, contestant_id: int):
    event = event_or_404(event_code)
    contestant = in_event_or_404(Contestant, contestant_id, event)
    form = forms.PersonForm(obj=contestant)
    status_form = forms.StatusForm(prefix="s", obj=contestant.entrant)
    if form.validate_on_submit():
        try:
            registration.update(contestant, _person(form))
        except Invalid as refusal:
            show_on_form(form, refusal)
        except NotAllowed as refusal:
            flash_problem(refusal.problem)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".contestants", event_code=event.code, trade=contestant.trade.code))
    return render_template("registration/contestant_form.html", event=event, form=form,
                           contestant=contestant, status_form=status_form), 422 if form.errors else 200


@bp.post("/entrants/<int:entrant_id>/status")
@role_required(*ORGANIZING)
def entrant_status(event_code: str, entrant_id: int):
    event = event_or_404(event_code)
    entrant = db.session.get(Entrant, entrant_id)
    if entrant is None or entrant.trade.event_id != event.id:
        abort(404)
    form = forms.StatusForm(prefix="s")
    if form.validate_on_submit():
        try:
            registration.set_status(entrant, EntrantStatus(form.status.data), form.reason.data or "")
        except (Invalid, NotAllowed) as refusal:
            flash_refusal(refusal)
        else:
            flash(_("Status saved."), "success")
    return redirect(safe_next(request.form.get("back"),
                              url_for(".contestants", event_code=event.code)))


@bp.route("/contestants/import", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def import_contestants(event_code: str):
    event = event_or_404(event_code)
    form = UploadForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        report = imports.run("contestants", event, upload.read(), current_user,
                             upload.filename or "")
        if report.ok:
            flash(report.summary(_), "success")
            return redirect(url_for(".contestants", event_code=event.code))
    return render_template("registration/import.html", event=event, form=form, report=report), \
        422 if report is not None else 200


@bp.get("/contestants/template.xlsx")
@role_required(*ORGANIZING)
def contestant_template(event_code: str):
    event = event_or_404(event_code)
    return downloads.xlsx(imports.IMPORTERS["contestants"].template(event), f"contestants-{event.code}.xlsx")


@bp.get("/registration-summary")
@role_required(*READING)
def summary(event_code: str):
    event = event_or_404(event_code)
    return render_template("registration/summary.html", event=event,
                           summary=registration.summary(event))


@bp.get("/trades/<trade_code>/entrants")
@role_required(*READING)
def entrants(event_code: str, trade_code: str):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    draws = registration.draws(trade)
    return render_template("registration/entrants.html", event=event, trade=trade,
                           entrants=registration.entrants(trade), show_codes=sees_code_mapping(current_user.role, trade.codes_revealed),
                           draws=[(d, registration.verify(d)) for d in draws])


@bp.post("/trades/<trade_code>/draw/<kind>")
@role_required(*ORGANIZING)
def draw(event_code: str, trade_code: str, kind: str):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    if kind not in ("numbers", "codes"):
        abort(404)
    try:
        record = registration.draw(trade, current_user, kind)
    except NotAllowed as refusal:
        flash_problem(refusal.problem)
    else:
        flash(_("Drawn for %(n)s entrants with seed %(seed)s.", n=len(record.entrant_ids),
                seed=record.seed), "success")
    return redirect(url_for(".entrants", event_code=event.code, trade_code=trade.code))


@bp.post("/trades/<trade_code>/reveal")
@role_required(*ORGANIZING)
def reveal(event_code: str, trade_code: str):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    try:
        registration.reveal_codes(trade)
    except NotAllowed as refusal:
        flash_problem(refusal.problem)
    else:
        flash(_("The codes are revealed."), "success")
    return redirect(url_for(".entrants", event_code=event.code, trade_code=trade.code))


@bp.get("/lists/registrations.xlsx")
@role_required(*READING)
def registration_list(event_code: str):
    event = event_or_404(event_code)
    chosen = filters("trade", "delegation", "status")
    data = registration.registration_list(event, chosen, full_ids=organizes(current_user.role))
    suffix = "-".join(v for v in (chosen["trade"], chosen["delegation"]) if v) or "all"
    return downloads.xlsx(data, f"registrations-{event.code}-{suffix}.xlsx")


@bp.get("/trades/<trade_code>/sign-in.xlsx")
@role_required(*READING)
def sign_in_sheet(event_code: str, trade_code: str):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    return downloads.xlsx(registration.sign_in_sheet(trade), f"sign-in-{event.code}-{trade.code}.xlsx")


@bp.get("/delegations/<delegation_code>/sign-in.xlsx")
@role_required(*READING)
def delegation_sign_in(event_code: str, delegation_code: str):
    event = event_or_404(event_code)
    delegation = delegation_or_404(event, delegation_code)
    return downloads.xlsx(registration.delegation_sheet(delegation),
                         f"delegation-{event.code}-{delegation.code}.xlsx")
