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

from competition.domain.panel import LEADS
from competition.domain.roles import Role, organizes, reads_everything
from competition.extensions import db
from competition.models import Event, JudgeAssignment, Trade
from competition.results.forms import AmendForm
from competition.services import publishing, results
from competition.web.access import ORGANIZING, READING, refuse
from competition.web.actions import attempt
from competition.web.loaders import for_event, for_trade

bp = Blueprint("results", __name__, url_prefix="/manage/events/<event_code>/results")
SEEING = (*READING, Role.CHIEF_JUDGE)


def _may_see(trade: Trade) -> None:
    """Provisional results are for organizers, supervisors and the trade's chief judge."""
    if not results.can_see_provisional(current_user, trade):
        refuse(f"provisional results of {trade.code}")


def _visible_trades(event: Event) -> list[Trade]:
    query = sa.select(Trade).where(Trade.event_id == event.id).order_by(Trade.code)
    if current_user.role == Role.CHIEF_JUDGE:
        query = query.join(JudgeAssignment, JudgeAssignment.trade_id == Trade.id).where(
            JudgeAssignment.user_id == current_user.id, JudgeAssignment.position.in_(LEADS))
    return list(db.session.scalars(query))


@bp.get("")
@for_event(*SEEING)
def event_results(event: Event):
    states = results.trade_states(event, _visible_trades(event))
    organizing = organizes(current_user.role)
    table = results.medal_table(event) if reads_everything(current_user.role) else None
    return render_template("results/event.html", event=event, states=states, table=table,
                           organizing=organizing, award_names=results.medal_labels(event))


@bp.get("/<trade_code>")
@for_trade(*SEEING)
def trade_results(event: Event, trade: Trade):
    _may_see(trade)
    return render_template("results/trade.html", event=event, trade=trade,
                           provisional=results.provisional(trade, current_user),
                           history=results.versions(trade),
                           unpublished=results.unpublished_facts(trade),
                           organizing=organizes(current_user.role), form=AmendForm())


@bp.post("/<trade_code>/publish")
@for_trade(*ORGANIZING)
def publish(event: Event, trade: Trade):
    _may_see(trade)
    attempt(lambda: publishing.publish(trade, current_user),
            _("Results of %(trade)s published.", trade=trade.name(str(get_locale()))))
    return redirect(url_for(".trade_results", event_code=event.code, trade_code=trade.code))


@bp.post("/<trade_code>/amend")
@for_trade(*ORGANIZING)
def amend(event: Event, trade: Trade):
    _may_see(trade)
    form = AmendForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for the amendment; it is shown with the results."), "error")
    else:
        attempt(lambda: publishing.amend(trade, current_user, form.reason.data),
                lambda version: _("Amended results published (version %(n)s).",
                                  n=version.number))
    return redirect(url_for(".trade_results", event_code=event.code, trade_code=trade.code))


@bp.post("/publish-all")
@for_event(*ORGANIZING)
def publish_all(event: Event):
    attempt(lambda: publishing.publish_all(event, current_user),
            lambda outcome: _("%(n)s trades published; %(left)s not published.",
                              n=len(outcome.published), left=len(outcome.skipped)))
    return redirect(url_for(".event_results", event_code=event.code))


@bp.post("/embargo")
@for_event(*ORGANIZING)
def embargo(event: Event):
    on = request.form.get("embargo") == "on"
    attempt(lambda: results.set_embargo(event, current_user, on),
            _("Results are under embargo: nothing is public until you release them.") if on
            else _("Results released: published results are public."))
    return redirect(url_for(".event_results", event_code=event.code))


@bp.post("/criterion-marks")
@for_event(*ORGANIZING)
def criterion_marks(event: Event):
    public = request.form.get("public") == "on"
    attempt(lambda: results.set_criterion_marks_public(event, current_user, public),
            _("Criterion marks are shown on the public pages.") if public
            else _("Criterion marks are hidden from the public pages."))
    return redirect(url_for(".event_results", event_code=event.code))
