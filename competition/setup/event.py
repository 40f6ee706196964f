"""Set-up pages for the event itself: the list of events, its dashboard, delegations and
the organizer accounts (made by administrators)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.roles import Role
from competition.extensions import db
from competition.models import Delegation, Event
from competition.forms import setup as forms
from competition.services import judges, setup
from competition.services.errors import Invalid, NotAllowed
from competition.setup.blueprint import bp
from competition.web import downloads
from competition.web.access import ORGANIZING, READING, role_required
from competition.web.loaders import (event_or_404, in_event_or_404, scheme_part_or_404,
                                     trade_or_404)
from competition.web.paging import filters, page_number
from competition.web.refusals import flash_problem, flash_refusal, show_on_form

# --- events ------------------------------------------------------------------------------------

@bp.get("/events")
@role_required(*READING)
def events():
    query = sa.select(Event).order_by(Event.start_date.desc().nullslast(), Event.code)
    if current_user.role != Role.ADMINISTRATOR:
        query = query.where(Event.id == current_user.event_id)
    found = db.session.scalars(query).all()
    if len(found) == 1 and current_user.role != Role.ADMINISTRATOR:
        return redirect(url_for(".dashboard", event_code=found[0].code))
    return render_template("setup/events.html", events=found)


@bp.route("/events/new", methods=["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def new_event():
    form = forms.EventForm()
    if form.validate_on_submit():
        try:
            event = setup.save_event(None, form.data)
        except Invalid as refusal:
            show_on_form(form, refusal)
        else:
            flash(_("Event %(code)s created.", code=event.code), "success")
            return redirect(url_for(".dashboard", event_code=event.code))
    return render_template("setup/event_form.html", form=form, event=None)


@bp.route("/events/<event_code>/edit", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def edit_event(event_code: str):
    event = event_or_404(event_code)
    form = forms.EventForm(obj=event)
    if form.validate_on_submit():
        try:
            setup.save_event(event, form.data)
        except Invalid as refusal:
            show_on_form(form, refusal)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".dashboard", event_code=event.code))
    return render_template("setup/event_form.html", form=form, event=event)


@bp.get("/events/<event_code>/")
@role_required(*READING)
def dashboard(event_code: str):
    event = event_or_404(event_code)
    return render_template("setup/dashboard.html", event=event,
                           overview=setup.overview(event))


# --- delegations -------------------------------------------------------------------------------

@bp.route("/events/<event_code>/delegations", methods=["GET", "POST"])
@role_required(*READING)
def delegations(event_code: str):
    event = event_or_404(event_code)
    form = forms.DelegationForm()
    if request.method == "POST":
        if current_user.role not in ORGANIZING:
            abort(403)
        if form.validate_on_submit():
            try:
                delegation = setup.save_delegation(event, None, form.data)
            except Invalid as refusal:
                show_on_form(form, refusal)
            else:
                flash(_("Delegation %(name)s added.", name=delegation.name_zh), "success")
                return redirect(url_for(".delegations", event_code=event.code))
    rows = setup.delegation_rows(event)
    status = 422 if form.errors else 200
    return render_template("setup/delegations.html", event=event, form=form, rows=rows), status


@bp.route("/events/<event_code>/delegations/<int:delegation_id>/edit", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def edit_delegation(event_code: str, delegation_id: int):
    event = event_or_404(event_code)
    delegation = in_event_or_404(Delegation, delegation_id, event)
    form = forms.DelegationForm(obj=delegation)
    if form.validate_on_submit():
        try:
            setup.save_delegation(event, delegation, form.data)
        except Invalid as refusal:
            show_on_form(form, refusal)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".delegations", event_code=event.code))
    return render_template("setup/simple_form.html", event=event, form=form,
                           title=_("Edit delegation"),
                           back=url_for(".delegations", event_code=event.code))


@bp.post("/events/<event_code>/delegations/<int:delegation_id>/delete")
@role_required(*ORGANIZING)
def delete_delegation(event_code: str, delegation_id: int):
    event = event_or_404(event_code)
    delegation = in_event_or_404(Delegation, delegation_id, event)
    try:
        setup.delete_delegation(delegation)
    except NotAllowed as refusal:
        flash_problem(refusal.problem)
    else:
        flash(_("Deleted."), "success")
    return redirect(url_for(".delegations", event_code=event.code))


@bp.route("/events/<event_code>/organizers", methods=["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def organizers(event_code: str):
    event = event_or_404(event_code)
    form = forms.OrganizerForm()
    if form.validate_on_submit():
        try:
            credential = judges.create_organizer(event, form.data)
        except Invalid as refusal:
            show_on_form(form, refusal)
        else:
            return render_template("setup/credentials.html", event=event, credentials=[credential],
                                   sheet=judges.credentials_sheet([credential]))
    return render_template("setup/organizers.html", event=event, form=form,
                           organizers=judges.organizers(event)), 422 if form.errors else 200


