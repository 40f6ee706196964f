"""Set-up pages for judges: the list, accounts, passwords, the account log and the panels of
trades."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, StringField
from wtforms.validators import Length

from competition.domain.accounts import ACCOUNT_EVENTS, may_reset_password
from competition.domain.roles import JUDGING_STAFF, Role
from competition.forms import setup as forms
from competition.forms.fields import clean_text, options
from competition.models import Event, Trade, User
from competition.services import accounts, judges
from competition.setup.blueprint import bp, credentials_page
from competition.web.access import ORGANIZING, READING, refuse
from competition.web.actions import attempt, form_status, submit
from competition.web.loaders import for_event, for_trade, in_event_or_404
from competition.web.paging import filters, page_number


class JudgeEditForm(forms.JudgeForm):
    """The judge form when editing: a new delegation whose entrants the judge has marked is
    taken only with those marks removed, with the reason (shown when the service asks)."""

    remove_marks = BooleanField(_l("Remove this judge's marks for entrants of the new delegation"))
    removal_reason = StringField(_l("Reason for removing the marks"), filters=[clean_text],
                                 validators=[Length(max=300)])


def _actor() -> User:
    return current_user._get_current_object()


# --- judges ------------------------------------------------------------------------------------

def assign_form(event: Event) -> forms.AssignmentForm:
    return forms.AssignmentForm()


def _judge_form(event: Event, obj=None) -> forms.JudgeForm:
    form = (JudgeEditForm if obj is not None else forms.JudgeForm)(obj=obj)
    form.delegation_id.choices = options([(0, _("— none —"))] + [
        (d.id, f"{d.code} {d.name_zh}") for d in event.delegations])
    form.trade_ids.choices = options((t.id, f"{t.code} {t.name_zh}") for t in event.trades)
    if obj is not None and request.method == "GET":
        form.delegation_id.data = obj.delegation_id or 0
        form.trade_ids.data = [a.trade_id for a in obj.assignments]
        form.position.data = next((a.position.value for a in obj.assignments if a.leads),
                                  form.position.default)
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
    if done := submit(form, lambda: judges.create_judge(event, form.data, _actor())):
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
    outcome = submit(form, lambda: judges.update_judge(event, user, form.data, _actor()),
                     _("Saved."))
    if outcome:
        return redirect(url_for(".judge_list", event_code=event.code))
    removal = bool(form.remove_marks.data or form.remove_marks.errors or form.removal_reason.errors)
    return render_template("setup/judge_form.html", event=event, form=form, user=user,
                           removal=removal), form_status(form, outcome=outcome)


@bp.post("/events/<event_code>/judges/<int:user_id>/password")
@for_event(*ORGANIZING)
def reset_password(event: Event, user_id: int):
    """A new password for one of the event's accounts: an organizer's judges; an
    administrator's anyone of the event (chief judges, supervisors and organizers too)."""
    user = in_event_or_404(User, user_id, event)
    if not may_reset_password(current_user.role, user.role):
        refuse(f"may not reset the password of a {user.role}")
    if done := attempt(lambda: accounts.reset_password(_actor(), user)):
        return credentials_page(event, [judges.credential(user, done.value)])
    if user.role == Role.ORGANIZER:
        return redirect(url_for(".organizers", event_code=event.code))
    return redirect(url_for(".edit_judge", event_code=event.code, user_id=user.id))


@bp.post("/events/<event_code>/judges/<int:user_id>/enabled")
@for_event(*ORGANIZING)
def set_enabled(event: Event, user_id: int):
    user = _judge_of(event, user_id)
    attempt(lambda: accounts.set_enabled(_actor(), user, request.form.get("enabled") == "1"),
            _("Saved."))
    return redirect(url_for(".edit_judge", event_code=event.code, user_id=user.id))


@bp.get("/events/<event_code>/accounts")
@for_event(*READING)
def account_log(event: Event):
    """Who created, reset, changed, disabled or moved which account, and when (supervisors
    read it beside the audit log of marks)."""
    return render_template("setup/account_log.html", event=event,
                           page=accounts.account_log(event, page_number()), kinds=ACCOUNT_EVENTS)


def _panel_url(event: Event, trade) -> str:
    return url_for(".trade", event_code=event.code, trade_code=trade.code) + "#panel"


@bp.post("/events/<event_code>/trades/<trade_code>/panel")
@for_trade(*ORGANIZING)
def add_to_panel(event: Event, trade: Trade):
    """Add the ticked accounts to the panel, all in one go (see ``judges.assign_many``)."""
    form = assign_form(event)
    if form.validate_on_submit() and form.user_id.data:
        attempt(lambda: judges.assign_many(trade, form.user_id.data, form.position.data),
                lambda done: _("%(added)s added to the panel, %(skipped)s already on it.",
                               added=done[0], skipped=done[1]))
    else:
        flash(_("Choose a judge."), "error")
    return redirect(_panel_url(event, trade))


@bp.post("/events/<event_code>/trades/<trade_code>/panel/<int:user_id>/remove")
@for_trade(*ORGANIZING)
def remove_from_panel(event: Event, trade: Trade, user_id: int):
    user = in_event_or_404(User, user_id, event)
    attempt(lambda: judges.unassign(trade, user), _("Removed from the panel."))
    return redirect(_panel_url(event, trade))
