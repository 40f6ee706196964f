"""Organizer pages for registration: contestants, teams, imports, the draw, venue lists."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.access import ORGANIZING, READING, event_in_scope, role_required, trade_in_event
from competition.extensions import db
from competition.models import Contestant, Delegation, Entrant, EntrantStatus, Trade
from competition.registration import forms
from competition.services import contestant_import, registration, venue_lists
from competition.services.errors import Invalid, NotAllowed
from competition.services.registration import Person
from competition.setup.forms import UploadForm, options
from competition.setup.views import form_failed, object_in_event, refused, xlsx_response
from competition.views import page_number, safe_next

bp = Blueprint("registration", __name__, url_prefix="/manage/events/<event_code>")


def _person(form) -> Person:
    return Person(name=form.name.data, gender=form.gender.data or None, id_type=form.id_type.data,
                  id_number=form.id_number.data, birth_date=form.birth_date.data,
                  employer=form.employer.data or "", phone=form.phone.data or "",
                  team_name=getattr(form, "team_name", None) and form.team_name.data,
                  remarks=form.remarks.data or "")


def sees_codes(trade) -> bool:
    """Organizers see the code → contestant mapping; others only once it is revealed."""
    return current_user.role in ORGANIZING or trade.codes_revealed


@bp.get("/contestants")
@role_required(*READING)
def contestants(event_code: str):
    event = event_in_scope(event_code)
    filters = {k: request.args.get(k, "").strip() for k in ("q", "trade", "delegation", "status")}
    page = registration.contestant_page(event, filters, page_number())
    return render_template("registration/contestants.html", event=event, page=page, filters=filters,
                           statuses=forms.STATUSES)


@bp.route("/contestants/new", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def new_contestant(event_code: str):
    event = event_in_scope(event_code)
    form = forms.ContestantForm()
    form.delegation_id.choices = options((d.id, f"{d.code} {d.name_zh}") for d in event.delegations)
    form.trade_id.choices = options((t.id, f"{t.code} {t.name_zh}") for t in event.trades)
    if form.validate_on_submit():
        trade = object_in_event(Trade, form.trade_id.data, event)
        delegation = object_in_event(Delegation, form.delegation_id.data, event)
        try:
            contestant = registration.register(event, trade, delegation, _person(form))
        except Invalid as refusal:
            form_failed(form, _rename(refusal))
        except NotAllowed as refusal:
            refused(refusal.problem)
        else:
            flash(_("%(name)s registered as %(number)s.", name=contestant.name,
                    number=contestant.competitor_number), "success")
            if request.form.get("another"):
                return redirect(url_for(".new_contestant", event_code=event.code))
            return redirect(url_for(".contestants", event_code=event.code, trade=trade.code))
    return render_template("registration/contestant_form.html", event=event, form=form,
                           contestant=None), 422 if form.errors else 200


def _rename(refusal: Invalid) -> Invalid:
    """Service fields named after the thing (delegation) map to the form's id fields."""
    names = {"delegation": "delegation_id", "trade": "trade_id"}
    return Invalid({names.get(k, k): v for k, v in refusal.problems.items()})


@bp.route("/contestants/<int:contestant_id>", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def edit_contestant(event_code: str, contestant_id: int):
    event = event_in_scope(event_code)
    contestant = object_in_event(Contestant, contestant_id, event)
    form = forms.PersonForm(obj=contestant)
    status_form = forms.StatusForm(prefix="s", obj=contestant.entrant)
    if form.validate_on_submit():
        try:
            registration.update(contestant, _person(form))
        except Invalid as refusal:
            form_failed(form, refusal)
        except NotAllowed as refusal:
            refused(refusal.problem)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".contestants", event_code=event.code, trade=contestant.trade.code))
    return render_template("registration/contestant_form.html", event=event, form=form,
                           contestant=contestant, status_form=status_form), 422 if form.errors else 200


@bp.post("/entrants/<int:entrant_id>/status")
@role_required(*ORGANIZING)
def entrant_status(event_code: str, entrant_id: int):
    event = event_in_scope(event_code)
    entrant = db.session.get(Entrant, entrant_id)
    if entrant is None or entrant.trade.event_id != event.id:
        abort(404)
    form = forms.StatusForm(prefix="s")
    if form.validate_on_submit():
        try:
            registration.set_status(entrant, EntrantStatus(form.status.data), form.reason.data or "")
        except (Invalid, NotAllowed) as refusal:
            refused(refusal.problem if isinstance(refusal, NotAllowed)
                    else next(iter(refusal.problems.values())))
        else:
            flash(_("Status saved."), "success")
    return redirect(safe_next(request.form.get("back"),
                              url_for(".contestants", event_code=event.code)))


@bp.route("/contestants/import", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def import_contestants(event_code: str):
    event = event_in_scope(event_code)
    form = UploadForm()
    report = None
    if form.validate_on_submit():
        report = contestant_import.import_contestants(event, form.file.data.read())
        if report.ok:
            flash(report.summary(_), "success")
            return redirect(url_for(".contestants", event_code=event.code))
    return render_template("registration/import.html", event=event, form=form, report=report), \
        422 if report is not None else 200


@bp.get("/contestants/template.xlsx")
@role_required(*ORGANIZING)
def contestant_template(event_code: str):
    event = event_in_scope(event_code)
    return xlsx_response(contestant_import.template(event), f"contestants-{event.code}.xlsx")


@bp.get("/registration-summary")
@role_required(*READING)
def summary(event_code: str):
    event = event_in_scope(event_code)
    return render_template("registration/summary.html", event=event,
                           summary=registration.summary(event))


@bp.get("/trades/<trade_code>/entrants")
@role_required(*READING)
def entrants(event_code: str, trade_code: str):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    draws = registration.draws(trade)
    return render_template("registration/entrants.html", event=event, trade=trade,
                           entrants=registration.entrants(trade), show_codes=sees_codes(trade),
                           draws=[(d, registration.verify(d)) for d in draws])


@bp.post("/trades/<trade_code>/draw/<kind>")
@role_required(*ORGANIZING)
def draw(event_code: str, trade_code: str, kind: str):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    if kind not in ("numbers", "codes"):
        abort(404)
    try:
        record = registration.draw(trade, current_user, kind)
    except NotAllowed as refusal:
        refused(refusal.problem)
    else:
        flash(_("Drawn for %(n)s entrants with seed %(seed)s.", n=len(record.entrant_ids),
                seed=record.seed), "success")
    return redirect(url_for(".entrants", event_code=event.code, trade_code=trade.code))


@bp.post("/trades/<trade_code>/reveal")
@role_required(*ORGANIZING)
def reveal(event_code: str, trade_code: str):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    try:
        registration.reveal_codes(trade)
    except NotAllowed as refusal:
        refused(refusal.problem)
    else:
        flash(_("The codes are revealed."), "success")
    return redirect(url_for(".entrants", event_code=event.code, trade_code=trade.code))


@bp.get("/lists/registrations.xlsx")
@role_required(*READING)
def registration_list(event_code: str):
    event = event_in_scope(event_code)
    filters = {k: request.args.get(k, "").strip() for k in ("trade", "delegation", "status")}
    data = venue_lists.registration_list(event, filters, full_ids=current_user.role in ORGANIZING)
    suffix = "-".join(v for v in (filters["trade"], filters["delegation"]) if v) or "all"
    return xlsx_response(data, f"registrations-{event.code}-{suffix}.xlsx")


@bp.get("/trades/<trade_code>/sign-in.xlsx")
@role_required(*READING)
def sign_in_sheet(event_code: str, trade_code: str):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    return xlsx_response(venue_lists.sign_in_sheet(trade), f"sign-in-{event.code}-{trade.code}.xlsx")


@bp.get("/delegations/<delegation_code>/sign-in.xlsx")
@role_required(*READING)
def delegation_sign_in(event_code: str, delegation_code: str):
    event = event_in_scope(event_code)
    delegation = db.session.scalar(sa.select(Delegation).where(
        Delegation.event_id == event.id, Delegation.code == delegation_code))
    if delegation is None:
        abort(404)
    return xlsx_response(venue_lists.delegation_sheet(delegation),
                         f"delegation-{event.code}-{delegation.code}.xlsx")
