"""Set-up pages for the event itself: the list of events, its dashboard, delegations and
the organizer accounts (made by administrators)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.roles import Role, organizes
from competition.extensions import db
from competition.forms import setup as forms
from competition.models import Delegation, Event
from competition.services import judges, setup
from competition.setup.blueprint import bp, credentials_page
from competition.web.access import ORGANIZING, READING, role_required
from competition.web.actions import attempt, form_status, submit
from competition.web.loaders import for_event, in_event_or_404

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
    if done := submit(form, lambda: setup.save_event(None, form.data),
                      lambda event: _("Event %(code)s created.", code=event.code)):
        return redirect(url_for(".dashboard", event_code=done.value.code))
    return render_template("setup/event_form.html", form=form, event=None)


@bp.route("/events/<event_code>/edit", methods=["GET", "POST"])
@for_event(*ORGANIZING)
def edit_event(event: Event):
    form = forms.EventForm(obj=event)
    if submit(form, lambda: setup.save_event(event, form.data), _("Saved.")):
        return redirect(url_for(".dashboard", event_code=event.code))
    return render_template("setup/event_form.html", form=form, event=event)


@bp.get("/events/<event_code>/")
@for_event(*READING)
def dashboard(event: Event):
    return render_template("setup/dashboard.html", event=event, overview=setup.overview(event))


# --- delegations -------------------------------------------------------------------------------

@bp.route("/events/<event_code>/delegations", methods=["GET", "POST"])
@for_event(*READING)
def delegations(event: Event):
    form = forms.DelegationForm()
    if request.method == "POST" and not organizes(current_user.role):
        abort(403)
    if submit(form, lambda: setup.save_delegation(event, None, form.data),
              lambda delegation: _("Delegation %(name)s added.", name=delegation.name_zh)):
        return redirect(url_for(".delegations", event_code=event.code))
    return render_template("setup/delegations.html", event=event, form=form,
                           rows=setup.delegation_rows(event)), form_status(form)


@bp.route("/events/<event_code>/delegations/<int:delegation_id>/edit", methods=["GET", "POST"])
@for_event(*ORGANIZING)
def edit_delegation(event: Event, delegation_id: int):
    delegation = in_event_or_404(Delegation, delegation_id, event)
    form = forms.DelegationForm(obj=delegation)
    back = url_for(".delegations", event_code=event.code)
    if submit(form, lambda: setup.save_delegation(event, delegation, form.data), _("Saved.")):
        return redirect(back)
    return render_template("setup/simple_form.html", event=event, form=form,
                           title=_("Edit delegation"), back=back)


@bp.post("/events/<event_code>/delegations/<int:delegation_id>/delete")
@for_event(*ORGANIZING)
def delete_delegation(event: Event, delegation_id: int):
    delegation = in_event_or_404(Delegation, delegation_id, event)
    attempt(lambda: setup.delete_delegation(delegation), _("Deleted."))
    return redirect(url_for(".delegations", event_code=event.code))


@bp.route("/events/<event_code>/organizers", methods=["GET", "POST"])
@for_event(Role.ADMINISTRATOR)
def organizers(event: Event):
    form = forms.OrganizerForm()
    actor = current_user._get_current_object()
    if done := submit(form, lambda: judges.create_organizer(event, form.data, actor)):
        return credentials_page(event, [done.value])
    return render_template("setup/organizers.html", event=event, form=form,
                           organizers=judges.organizers(event)), form_status(form)
