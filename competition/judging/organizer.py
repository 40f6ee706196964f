"""The organizer's judging pages: the competition-day overview (chief judges see their own
trades on it), a trade's control (open, unlock), declared conflicts, the audit log and marks
from paper sheets."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.roles import organizes
from competition.extensions import db
from competition.judging import forms
from competition.judging.blueprint import EVERYONE, bp, locale, no_store
from competition.models import Conflict, Delegation, Event, Trade, User
from competition.services import imports, judging
from competition.services.errors import NotAllowed
from competition.web import downloads
from competition.web.access import ORGANIZING, READING, refuse
from competition.web.actions import attempt, form_status, submit
from competition.web.imports import import_page
from competition.web.loaders import for_event, for_trade
from competition.web.paging import page_number

OVERVIEW_REFRESH = 60
"""Seconds between two reloads of the competition-day overview (it reloads itself)."""


@bp.get("/events/<event_code>/")
@for_event(*EVERYONE)
@no_store
def overview(event: Event):
    """The competition-day overview: organizers and supervisors see every trade, a chief judge
    their own (a judge who is chief of none is refused)."""
    try:
        rows = judging.competition_day(event, current_user)
    except NotAllowed:
        refuse("chief of no trade")
    return render_template("judging/overview.html", event=event, rows=rows,
                           refresh=OVERVIEW_REFRESH, now=datetime.now(UTC))


@bp.get("/events/<event_code>/trades/<code>/control")
@for_trade(*READING, code="code")
def control(event: Event, trade: Trade):
    last = judging.trade_history(event, trade.id)
    return render_template("judging/control.html", event=event, trade=trade, history=last,
                           unlock_form=forms.ReasonForm(),
                           organizing=organizes(current_user.role))


@bp.post("/events/<event_code>/trades/<code>/open")
@for_trade(*ORGANIZING, code="code")
def open_trade(event: Event, trade: Trade):
    attempt(lambda: judging.open_trade(trade, current_user),
            _("Trade %(code)s is open for scoring.", code=trade.code))
    return redirect(url_for(".control", event_code=event.code, code=trade.code))


@bp.post("/events/<event_code>/trades/<code>/unlock")
@for_trade(*ORGANIZING, code="code")
def unlock(event: Event, trade: Trade):
    form = forms.ReasonForm()
    reason = form.reason.data if form.validate_on_submit() else ""
    attempt(lambda: judging.unlock(trade, current_user, reason),
            _("Trade %(code)s unlocked.", code=trade.code))
    return redirect(url_for(".control", event_code=event.code, code=trade.code))


@bp.route("/events/<event_code>/conflicts", methods=["GET", "POST"])
@for_event(*READING)
def conflicts(event: Event):
    form = forms.ConflictForm()
    form.delegation_id.choices = [(0, "—")] + [
        (d.id, d.name(locale())) for d in db.session.scalars(
            sa.select(Delegation).where(Delegation.event_id == event.id).order_by(Delegation.code))]
    if request.method == "POST" and not organizes(current_user.role):
        refuse("only organizers declare conflicts")
    done = submit(form, lambda: judging.declare_conflict_by(
        event, current_user, form.judge.data, form.contestant.data or "", form.delegation_id.data,
        form.reason.data or ""), _("Conflict of interest declared."))
    if done:
        return redirect(url_for(".conflicts", event_code=event.code))
    return render_template("judging/conflicts.html", event=event, form=form,
                           rows=judging.conflicts_of(event),
                           organizing=organizes(current_user.role)), \
        form_status(form, refused=request.method == "POST", outcome=done)


@bp.post("/events/<event_code>/conflicts/<int:conflict_id>/delete")
@for_event(*ORGANIZING)
def delete_conflict(event: Event, conflict_id: int):
    conflict = db.session.get(Conflict, conflict_id)
    if conflict is None or conflict.user.event_id != event.id:
        abort(404)
    attempt(lambda: judging.remove_conflict(conflict), _("Conflict of interest removed."))
    return redirect(url_for(".conflicts", event_code=event.code))


def audit_filters(event: Event) -> tuple[forms.AuditFilterForm, judging.AuditFilter]:
    form = forms.AuditFilterForm(request.args)
    form.trade.choices = [(0, _("All trades"))] + [
        (t.id, f"{t.code} {t.name(locale())}") for t in db.session.scalars(
            sa.select(Trade).where(Trade.event_id == event.id).order_by(Trade.code))]
    form.validate()
    judge_id = None
    if form.judge.data:
        judge_id = db.session.scalar(sa.select(User.id).where(
            User.username == form.judge.data, User.event_id == event.id)) or -1
    return form, judging.AuditFilter(
        trade_id=form.trade.data or None if not form.trade.errors else None,
        judge_id=judge_id,
        entrant_id=form.entrant.data if not form.entrant.errors else None,
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None)


@bp.get("/events/<event_code>/audit")
@for_event(*READING)
def audit(event: Event):
    form, filters = audit_filters(event)
    page = db.paginate(judging.audit_query(event, filters), page=page_number(), per_page=100,
                       error_out=False)
    return render_template("judging/audit.html", event=event, form=form, page=page,
                           row=judging.audit_row)


@bp.get("/events/<event_code>/audit.xlsx")
@for_event(*READING)
def audit_export(event: Event):
    _form, filters = audit_filters(event)
    return downloads.xlsx(judging.audit_workbook(event, filters, _), f"audit-{event.code}.xlsx")


@bp.route("/events/<event_code>/import-scores", methods=["GET", "POST"])
@for_event(*ORGANIZING)
def import_scores(event: Event):
    return import_page("judging/import.html", event, "scores",
                       template_url=url_for(".import_template", event_code=event.code),
                       done_url=url_for(".overview", event_code=event.code),
                       done=_to_paper_entries(event))


def _to_paper_entries(event: Event):
    """After filled marking sheets were entered: the paper entries, where a second person
    confirms them."""
    def done(report: imports.ImportReport):
        if not report.entries:
            return None
        flash(report.summary(_), "success")
        return redirect(url_for(".paper_entries", event_code=event.code))
    return done


@bp.get("/events/<event_code>/import-scores/template.xlsx")
@for_event(*ORGANIZING)
def import_template(event: Event):
    return downloads.xlsx(imports.IMPORTERS["scores"].template(event), "scores-template.xlsx")


