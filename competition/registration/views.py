"""Organizer pages for registration: contestants, teams, imports, the draw, venue lists."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.blind import sees_code_mapping
from competition.domain.entrants import EntrantStatus
from competition.domain.roles import organizes
from competition.extensions import db
from competition.forms.fields import options
from competition.models import Contestant, Delegation, Entrant, Event, Trade
from competition.registration import forms
from competition.services import imports, registration
from competition.services.registration import Person
from competition.web import downloads
from competition.web.access import ORGANIZING, READING
from competition.web.actions import attempt, form_status, submit
from competition.web.imports import import_page
from competition.web.loaders import (
    delegation_or_404,
    for_event,
    for_trade,
    in_event_or_404,
)
from competition.web.paging import filters, page_number, safe_next

bp = Blueprint("registration", __name__, url_prefix="/manage/events/<event_code>")


@bp.after_request
def no_store(response):
    """Every registration page and list carries personal data (names, ID numbers, phones):
    no browser or proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _person(form) -> Person:
    return Person(name=form.name.data, gender=form.gender.data or None, id_type=form.id_type.data,
                  id_number=form.id_number.data, birth_date=form.birth_date.data,
                  employer=form.employer.data or "", phone=form.phone.data or "",
                  team_name=getattr(form, "team_name", None) and form.team_name.data,
                  remarks=form.remarks.data or "")


@bp.get("/contestants")
@for_event(*READING)
def contestants(event: Event):
    chosen = filters("q", "trade", "delegation", "status")
    page = registration.contestant_page(event, chosen, page_number())
    return render_template("registration/contestants.html", event=event, page=page,
                           filters=chosen, id_form=forms.IdSearchForm(formdata=None))


@bp.post("/contestants/find")
@for_event(*ORGANIZING)
def find_contestant(event: Event):
    """The list of the contestants with one full ID number (organizers only: a supervisor sees
    masked numbers and must not be able to test a full one)."""
    form = forms.IdSearchForm()
    chosen = filters("q", "trade", "delegation", "status")
    outcome = submit(form, lambda: registration.find_by_id_number(event, form.id_number.data))
    page = outcome.value if outcome else registration.contestant_page(event, chosen, 1)
    return render_template("registration/contestants.html", event=event, page=page,
                           filters=chosen, id_form=form, by_id=bool(outcome)), form_status(form)


@bp.route("/contestants/new", methods=["GET", "POST"])
@for_event(*ORGANIZING)
def new_contestant(event: Event):
    form = forms.ContestantForm()
    form.delegation_id.choices = options((d.id, f"{d.code} {d.name_zh}") for d in event.delegations)
    form.trade_id.choices = options((t.id, f"{t.code} {t.name_zh}") for t in event.trades)
    def register():
        trade = in_event_or_404(Trade, form.trade_id.data, event)
        delegation = in_event_or_404(Delegation, form.delegation_id.data, event)
        return registration.register(event, trade, delegation, _person(form))

    if done := submit(form, register, lambda c: _("%(name)s registered as %(number)s.",
                                                   name=c.name, number=c.competitor_number),
                      fields={"delegation": "delegation_id", "trade": "trade_id"}):
        if request.form.get("another"):
            return redirect(url_for(".new_contestant", event_code=event.code))
        return redirect(url_for(".contestants", event_code=event.code,
                                trade=done.value.trade.code))
    return render_template("registration/contestant_form.html", event=event, form=form,
                           contestant=None), form_status(form)


@bp.route("/contestants/<int:contestant_id>", methods=["GET", "POST"])
@for_event(*ORGANIZING)
def edit_contestant(event: Event, contestant_id: int):
    contestant = in_event_or_404(Contestant, contestant_id, event)
    form = forms.PersonForm(obj=contestant)
    status_form = forms.StatusForm(prefix="s", obj=contestant.entrant)
    if submit(form, lambda: registration.update(contestant, _person(form)), _("Saved.")):
        return redirect(url_for(".contestants", event_code=event.code,
                                trade=contestant.trade.code))
    return render_template("registration/contestant_form.html", event=event, form=form,
                           contestant=contestant, status_form=status_form), form_status(form)


@bp.post("/entrants/<int:entrant_id>/status")
@for_event(*ORGANIZING)
def entrant_status(event: Event, entrant_id: int):
    entrant = db.session.get(Entrant, entrant_id)
    if entrant is None or entrant.trade.event_id != event.id:
        abort(404)
    form = forms.StatusForm(prefix="s")
    if form.validate_on_submit():
        attempt(lambda: registration.set_status(entrant, EntrantStatus(form.status.data),
                                                form.reason.data or ""), _("Status saved."))
    return redirect(safe_next(request.form.get("back"),
                              url_for(".contestants", event_code=event.code)))


@bp.route("/contestants/import", methods=["GET", "POST"])
@for_event(*ORGANIZING)
def import_contestants(event: Event):
    return import_page("registration/import.html", event, "contestants",
                       template_url=url_for(".contestant_template", event_code=event.code),
                       done_url=url_for(".contestants", event_code=event.code))


@bp.get("/contestants/template.xlsx")
@for_event(*ORGANIZING)
def contestant_template(event: Event):
    return downloads.xlsx(imports.IMPORTERS["contestants"].template(event),
                          f"contestants-{event.code}.xlsx")


@bp.get("/registration-summary")
@for_event(*READING)
def summary(event: Event):
    return render_template("registration/summary.html", event=event,
                           summary=registration.summary(event))


@bp.get("/trades/<trade_code>/entrants")
@for_trade(*READING)
def entrants(event: Event, trade: Trade):
    draws = registration.draws(trade)
    return render_template("registration/entrants.html", event=event, trade=trade,
                           entrants=registration.entrants(trade),
                           show_codes=sees_code_mapping(current_user.role, trade.codes_revealed),
                           draws=[(d, registration.verify(d)) for d in draws])


@bp.post("/trades/<trade_code>/draw/<kind>")
@for_trade(*ORGANIZING)
def draw(event: Event, trade: Trade, kind: str):
    if kind not in ("numbers", "codes"):
        abort(404)
    attempt(lambda: registration.draw(trade, current_user, kind),
            lambda record: _("Drawn for %(n)s entrants with seed %(seed)s.",
                             n=len(record.entrant_ids), seed=record.seed))
    return redirect(url_for(".entrants", event_code=event.code, trade_code=trade.code))


@bp.post("/trades/<trade_code>/reveal")
@for_trade(*ORGANIZING)
def reveal(event: Event, trade: Trade):
    attempt(lambda: registration.reveal_codes(trade), _("The codes are revealed."))
    return redirect(url_for(".entrants", event_code=event.code, trade_code=trade.code))


@bp.get("/lists/registrations.xlsx")
@for_event(*READING)
def registration_list(event: Event):
    chosen = filters("trade", "delegation", "status")
    data = registration.registration_list(event, chosen, full_ids=organizes(current_user.role))
    suffix = "-".join(v for v in (chosen["trade"], chosen["delegation"]) if v) or "all"
    return downloads.xlsx(data, f"registrations-{event.code}-{suffix}.xlsx")


@bp.get("/trades/<trade_code>/sign-in.xlsx")
@for_trade(*READING)
def sign_in_sheet(event: Event, trade: Trade):
    return downloads.xlsx(registration.sign_in_sheet(trade),
                          f"sign-in-{event.code}-{trade.code}.xlsx")


@bp.get("/delegations/<delegation_code>/sign-in.xlsx")
@for_event(*READING)
def delegation_sign_in(event: Event, delegation_code: str):
    delegation = delegation_or_404(event, delegation_code)
    return downloads.xlsx(registration.delegation_sheet(delegation),
                          f"delegation-{event.code}-{delegation.code}.xlsx")
