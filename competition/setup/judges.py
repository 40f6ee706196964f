"""Set-up pages for judges: the list, accounts, passwords and the panels of trades."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from competition.domain.roles import JUDGING_STAFF
from competition.forms import setup as forms
from competition.forms.fields import options
from competition.models import Event, Trade, User
from competition.services import accounts, judges
from competition.setup.blueprint import bp, credentials_page
from competition.web.access import ORGANIZING, READING
from competition.web.actions import attempt, form_status, submit
from competition.web.loaders import for_event, for_trade, in_event_or_404
from competition.web.paging import filters, page_number

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
@for_event(*READING)
def judge_list(event: Event):
    chosen = filters("q", "trade", "delegation", "role")
    page = judges.judge_page(event, chosen, page_number())
    return render_template("setup/judges.html", event=event, page=page, filters=chosen)


@bp.route("/events/<event_code>/judges/new", methods=["GET", "POST"])
@for_event(*ORGANIZING)
def new_judge(event: Event):
    form = _judge_form(event)
    if done := submit(form, lambda: judges.create_judge(event, form.data)):
        return credentials_page(event, [done.value])
    return render_template("setup/simple_form.html", event=event, form=form, title=_("New judge"),
                           back=url_for(".judge_list", event_code=event.code)), form_status(form)


def _judge_of(event: Event, user_id: int) -> User:
    """One of the event's judges, chief judges or supervisors (403 for anyone else)."""
    user = in_event_or_404(User, user_id, event)
    if user.role not in JUDGING_STAFF:
        abort(403)
    return user


@bp.route("/events/<event_code>/judges/<int:user_id>/edit", methods=["GET", "POST"])
@for_event(*ORGANIZING)
def edit_judge(event: Event, user_id: int):
    user = _judge_of(event, user_id)
    form = _judge_form(event, user)
    if submit(form, lambda: judges.update_judge(event, user, form.data), _("Saved.")):
        return redirect(url_for(".judge_list", event_code=event.code))
    return render_template("setup/judge_form.html", event=event, form=form, user=user), \
        form_status(form)


@bp.post("/events/<event_code>/judges/<int:user_id>/password")
@for_event(*ORGANIZING)
def reset_password(event: Event, user_id: int):
    user = _judge_of(event, user_id)
    password = accounts.reset_password(user)
    return credentials_page(event, [judges.credential(user, password)])


@bp.post("/events/<event_code>/judges/<int:user_id>/enabled")
@for_event(*ORGANIZING)
def set_enabled(event: Event, user_id: int):
    user = _judge_of(event, user_id)
    attempt(lambda: accounts.set_enabled(user, request.form.get("enabled") == "1"), _("Saved."))
    return redirect(url_for(".edit_judge", event_code=event.code, user_id=user.id))


def _panel_url(event: Event, trade) -> str:
    return url_for(".trade", event_code=event.code, trade_code=trade.code) + "#panel"


@bp.post("/events/<event_code>/trades/<trade_code>/panel")
@for_trade(*ORGANIZING)
def add_to_panel(event: Event, trade: Trade):
    form = assign_form(event)
    if form.validate_on_submit():
        user = in_event_or_404(User, form.user_id.data, event)
        attempt(lambda: judges.assign(trade, user, form.is_chief.data), _("Saved."))
    else:
        flash(_("Choose a judge."), "error")
    return redirect(_panel_url(event, trade))


@bp.post("/events/<event_code>/trades/<trade_code>/panel/<int:user_id>/remove")
@for_trade(*ORGANIZING)
def remove_from_panel(event: Event, trade: Trade, user_id: int):
    user = in_event_or_404(User, user_id, event)
    attempt(lambda: judges.unassign(trade, user), _("Removed from the panel."))
    return redirect(_panel_url(event, trade))
