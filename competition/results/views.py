"""Organizer and chief judge pages: provisional results, publication, amendments and the embargo.

Organizers, supervisors and a trade's chief judge see its provisional results; only organizers
publish, amend, release or embargo (checked again by the service).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.roles import Role, organizes, reads_everything
from competition.extensions import db
from competition.models import Event, JudgeAssignment, Trade
from competition.results.forms import AmendForm
from competition.services import results
from competition.services.errors import Invalid, NotAllowed
from competition.web.access import ORGANIZING, READING, refuse, role_required
from competition.web.loaders import event_or_404, trade_or_404
from competition.web.refusals import flash_refusal

bp = Blueprint("results", __name__, url_prefix="/manage/events/<event_code>/results")
SEEING = (*READING, Role.CHIEF_JUDGE)


def _trade(event: Event, trade_code: str) -> Trade:
    trade = trade_or_404(event, trade_code)
    if not results.can_see_provisional(current_user, trade):
        refuse(f"provisional results of {trade_code}")
    return trade


def _visible_trades(event: Event) -> list[Trade]:
    query = sa.select(Trade).where(Trade.event_id == event.id).order_by(Trade.code)
    if current_user.role == Role.CHIEF_JUDGE:
        query = query.join(JudgeAssignment, JudgeAssignment.trade_id == Trade.id).where(
            JudgeAssignment.user_id == current_user.id, JudgeAssignment.is_chief.is_(True))
    return list(db.session.scalars(query))


@bp.get("")
@role_required(*SEEING)
def event_results(event_code: str):
    event = event_or_404(event_code)
    states = results.trade_states(event, _visible_trades(event))
    organizing = organizes(current_user.role)
    table = results.medal_table(event) if reads_everything(current_user.role) else None
    return render_template("results/event.html", event=event, states=states, table=table,
                           organizing=organizing, award_names=results.medal_labels(event))


@bp.get("/<trade_code>")
@role_required(*SEEING)
def trade_results(event_code: str, trade_code: str):
    event = event_or_404(event_code)
    trade = _trade(event, trade_code)
    return render_template("results/trade.html", event=event, trade=trade,
                           provisional=results.provisional(trade, current_user),
                           history=results.versions(trade),
                           organizing=organizes(current_user.role), form=AmendForm())


@bp.post("/<trade_code>/publish")
@role_required(*ORGANIZING)
def publish(event_code: str, trade_code: str):
    event = event_or_404(event_code)
    trade = _trade(event, trade_code)
    try:
        results.publish(trade, current_user)
    except (Invalid, NotAllowed) as refusal:
        flash_refusal(refusal)
    else:
        flash(_("Results of %(trade)s published.", trade=trade.name(str(get_locale()))), "success")
    return redirect(url_for(".trade_results", event_code=event.code, trade_code=trade.code))


@bp.post("/<trade_code>/amend")
@role_required(*ORGANIZING)
def amend(event_code: str, trade_code: str):
    event = event_or_404(event_code)
    trade = _trade(event, trade_code)
    form = AmendForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for the amendment; it is shown with the results."), "error")
    else:
        try:
            version = results.amend(trade, current_user, form.reason.data)
        except (Invalid, NotAllowed) as refusal:
            flash_refusal(refusal)
        else:
            flash(_("Amended results published (version %(n)s).", n=version.number), "success")
    return redirect(url_for(".trade_results", event_code=event.code, trade_code=trade.code))


@bp.post("/publish-all")
@role_required(*ORGANIZING)
def publish_all(event_code: str):
    event = event_or_404(event_code)
    try:
        outcome = results.publish_all(event, current_user)
    except (Invalid, NotAllowed) as refusal:
        flash_refusal(refusal)
    else:
        flash(_("%(n)s trades published; %(left)s not published.", n=len(outcome.published),
                left=len(outcome.skipped)), "success")
    return redirect(url_for(".event_results", event_code=event.code))


@bp.post("/embargo")
@role_required(*ORGANIZING)
def embargo(event_code: str):
    event = event_or_404(event_code)
    on = request.form.get("embargo") == "on"
    try:
        results.set_embargo(event, current_user, on)
    except NotAllowed as refusal:
        flash_refusal(refusal)
    else:
        flash(_("Results are under embargo: nothing is public until you release them.") if on
              else _("Results released: published results are public."), "success")
    return redirect(url_for(".event_results", event_code=event.code))


@bp.post("/criterion-marks")
@role_required(*ORGANIZING)
def criterion_marks(event_code: str):
    event = event_or_404(event_code)
    public = request.form.get("public") == "on"
    try:
        results.set_criterion_marks_public(event, current_user, public)
    except NotAllowed as refusal:
        flash_refusal(refusal)
    else:
        flash(_("Criterion marks are shown on the public pages.") if public
              else _("Criterion marks are hidden from the public pages."), "success")
    return redirect(url_for(".event_results", event_code=event.code))
