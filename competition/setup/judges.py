"""Set-up pages for judges: the list, accounts, passwords and the panels of trades."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.roles import JUDGING_STAFF
from competition.forms.fields import options
from competition.models import Event, User
from competition.forms import setup as forms
from competition.services import accounts, judges
from competition.services.errors import Invalid, NotAllowed
from competition.setup.blueprint import bp
from competition.web import downloads
from competition.web.access import ORGANIZING, READING, role_required
from competition.web.loaders import (event_or_404, in_event_or_404, scheme_part_or_404,
                                     trade_or_404)
from competition.web.paging import filters, page_number
from competition.web.refusals import flash_problem, flash_refusal, show_on_form

# --- judges ------------------------------------------------------------------------------------

def assign_form(event: Event) -> forms.AssignmentForm:
    form = forms.AssignmentForm()
    form.user_id.choices = options((u.id, f"{u.name} ({u.username})")
                                         for u in judges.event_judges(event))
    return form


def _judge_form(event: Event, obj=None) -> forms.JudgeForm:
    form = forms.JudgeForm(obj=obj)
    form.delegation_id.choices = options([(0, _("— none —"))] + [
        (d.id, f"{d.code} {d.name_zh}") for d in event.delegations])
    form.trade_ids.choices = options((t.id, f"{t.code} {t.name_zh}") for t in event.trades)
    if obj is not None and request.method == "GET":
        form.delegation_id.data = obj.delegation_id or 0
        form.trade_ids.data = [a.trade_id for a in obj.assignments]
    return form


@bp.get("/events/<event_code>/judges")
@role_required(*READING)
def judge_list(event_code: str):
    event = event_or_404(event_code)
    chosen = filters("q", "trade", "delegation", "role")
    page = judges.judge_page(event, chosen, page_number())
    return render_template("setup/judges.html", event=event, page=page, filters=chosen)


@bp.route("/events/<event_code>/judges/new", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def new_judge(event_code: str):
    event = event_or_404(event_code)
    form = _judge_form(event)
    if form.validate_on_submit():
        try:
            credential = judges.create_judge(event, form.data)
        except Invalid as refusal:
            show_on_form(form, refusal)
        else:
            return render_template("setup/credentials.html", event=event,
                                   credentials=[credential],
                                   sheet=judges.credentials_sheet([credential]))
    return render_template("setup/simple_form.html", event=event, form=form,
                           title=_("New judge"), back=url_for(".judge_list", event_code=event.code)), \
        422 if form.errors else 200


@bp.route("/events/<event_code>/judges/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def edit_judge(event_code: str, user_id: int):
    event = event_or_404(event_code)
    user = in_event_or_404(User, user_id, event)
    if user.role not in JUDGING_STAFF:
        abort(403)
    form = _judge_form(event, user)
    if form.validate_on_submit():
        try:
            judges.update_judge(event, user, form.data)
        except Invalid as refusal:
            show_on_form(form, refusal)
        except NotAllowed as refusal:
            flash_problem(refusal.problem)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".judge_list", event_code=event.code))
    return render_template("setup/judge_form.html", event=event, form=form, user=user), \
        422 if form.errors else 200


@bp.post("/events/<event_code>/judges/<int:user_id>/password")
@role_required(*ORGANIZING)
def reset_password(event_code: str, user_id: int):
    event = event_or_404(event_code)
    user = in_event_or_404(User, user_id, event)
    if user.role not in JUDGING_STAFF:
        abort(403)
    password = accounts.reset_password(user)
    credential = judges.credential(user, password)
    return render_template("setup/credentials.html", event=event, credentials=[credential],
                           sheet=judges.credentials_sheet([credential]))


@bp.post("/events/<event_code>/judges/<int:user_id>/enabled")
@role_required(*ORGANIZING)
def set_enabled(event_code: str, user_id: int):
    event = event_or_404(event_code)
    user = in_event_or_404(User, user_id, event)
    if user.role not in JUDGING_STAFF:
        abort(403)
    accounts.set_enabled(user, request.form.get("enabled") == "1")
    flash(_("Saved."), "success")
    return redirect(url_for(".edit_judge", event_code=event.code, user_id=user.id))


@bp.post("/events/<event_code>/trades/<trade_code>/panel")
@role_required(*ORGANIZING)
def add_to_panel(event_code: str, trade_code: str):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    form = assign_form(event)
    if form.validate_on_submit():
        user = in_event_or_404(User, form.user_id.data, event)
        try:
            judges.assign(trade, user, form.is_chief.data)
        except (NotAllowed, Invalid) as refusal:
            flash_refusal(refusal)
        else:
            flash(_("Saved."), "success")
    else:
        flash(_("Choose a judge."), "error")
    return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code) + "#panel")


@bp.post("/events/<event_code>/trades/<trade_code>/panel/<int:user_id>/remove")
@role_required(*ORGANIZING)
def remove_from_panel(event_code: str, trade_code: str, user_id: int):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    user = in_event_or_404(User, user_id, event)
    judges.unassign(trade, user)
    flash(_("Removed from the panel."), "success")
    return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code) + "#panel")


