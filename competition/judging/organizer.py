"""The organizer's judging pages: the event's scoring overview, a trade's control (open,
unlock), declared conflicts, the audit log and marks from paper sheets."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.messages import N_, Problem
from competition.domain.roles import organizes
from competition.extensions import db
from competition.forms.setup import UploadForm
from competition.judging import forms
from competition.judging.blueprint import bp, locale
from competition.models import Conflict, Contestant, Delegation, Event, Trade, User
from competition.services import imports, judging
from competition.services.errors import Invalid, NotAllowed
from competition.web import downloads
from competition.web.access import ORGANIZING, READING, refuse, role_required
from competition.web.loaders import event_or_404, trade_or_404
from competition.web.paging import page_number
from competition.web.refusals import flash_problem, flash_refusal, show_on_form

# --- organizers: overview, control, conflicts, audit, import -----------------------------------

@bp.get("/events/<event_code>/")
@role_required(*READING)
def overview(event_code: str):
    event = event_or_404(event_code)
    return render_template("judging/overview.html", event=event,
                           rows=judging.event_overview(event))


@bp.get("/events/<event_code>/trades/<code>/control")
@role_required(*READING)
def control(event_code: str, code: str):
    event = event_or_404(event_code)
    trade = trade_or_404(event, code)
    last = judging.trade_history(event, trade.id)
    return render_template("judging/control.html", event=event, trade=trade, history=last,
                           unlock_form=forms.ReasonForm(),
                           organizing=organizes(current_user.role))


@bp.post("/events/<event_code>/trades/<code>/open")
@role_required(*ORGANIZING)
def open_trade(event_code: str, code: str):
    event = event_or_404(event_code)
    trade = trade_or_404(event, code)
    try:
        judging.open_trade(trade, current_user)
    except NotAllowed as refusal:
        flash_problem(refusal.problem)
    else:
        flash(_("Trade %(code)s is open for scoring.", code=trade.code), "success")
    return redirect(url_for(".control", event_code=event.code, code=trade.code))


@bp.post("/events/<event_code>/trades/<code>/unlock")
@role_required(*ORGANIZING)
def unlock(event_code: str, code: str):
    event = event_or_404(event_code)
    trade = trade_or_404(event, code)
    form = forms.ReasonForm()
    try:
        judging.unlock(trade, current_user, form.reason.data if form.validate_on_submit() else "")
    except NotAllowed as refusal:
        flash_problem(refusal.problem)
    except Invalid as refusal:
        flash_refusal(refusal)
    else:
        flash(_("Trade %(code)s unlocked.", code=trade.code), "success")
    return redirect(url_for(".control", event_code=event.code, code=trade.code))


@bp.route("/events/<event_code>/conflicts", methods=["GET", "POST"])
@role_required(*READING)
def conflicts(event_code: str):
    event = event_or_404(event_code)
    form = forms.ConflictForm()
    form.delegation_id.choices = [(0, "—")] + [
        (d.id, d.name(locale())) for d in db.session.scalars(
            sa.select(Delegation).where(Delegation.event_id == event.id).order_by(Delegation.code))]
    status = 200
    if request.method == "POST":
        if not organizes(current_user.role):
            refuse("only organizers declare conflicts")
        if form.validate_on_submit():
            judge = db.session.scalar(sa.select(User).where(User.username == form.judge.data,
                                                            User.event_id == event.id))
            contestant = db.session.scalar(sa.select(Contestant).where(
                Contestant.event_id == event.id,
                Contestant.competitor_number == form.contestant.data)) if form.contestant.data else None
            delegation = db.session.get(Delegation, form.delegation_id.data) \
                if form.delegation_id.data else None
            try:
                if form.contestant.data and contestant is None:
                    raise Invalid({"contestant": Problem(N_("No such contestant in this event."))})
                judging.declare_conflict(event, current_user, judge, contestant, delegation,
                                         form.reason.data or "")
            except Invalid as refusal:
                show_on_form(form, refusal)
                status = 422
            except NotAllowed as refusal:
                flash_problem(refusal.problem)
                status = 409
            else:
                flash(_("Conflict of interest declared."), "success")
                return redirect(url_for(".conflicts", event_code=event.code))
        else:
            status = 422
    return render_template("judging/conflicts.html", event=event, form=form,
                           rows=judging.conflicts_of(event),
                           organizing=organizes(current_user.role)), status


@bp.post("/events/<event_code>/conflicts/<int:conflict_id>/delete")
@role_required(*ORGANIZING)
def delete_conflict(event_code: str, conflict_id: int):
    event = event_or_404(event_code)
    conflict = db.session.get(Conflict, conflict_id)
    if conflict is None or conflict.user.event_id != event.id:
        abort(404)
    judging.remove_conflict(conflict)
    flash(_("Conflict of interest removed."), "success")
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
@role_required(*READING)
def audit(event_code: str):
    event = event_or_404(event_code)
    form, filters = audit_filters(event)
    page = db.paginate(judging.audit_query(event, filters), page=page_number(), per_page=100,
                       error_out=False)
    return render_template("judging/audit.html", event=event, form=form, page=page,
                           row=judging.audit_row)


@bp.get("/events/<event_code>/audit.xlsx")
@role_required(*READING)
def audit_export(event_code: str):
    event = event_or_404(event_code)
    _form, filters = audit_filters(event)
    return downloads.xlsx(judging.audit_workbook(event, filters, _), f"audit-{event.code}.xlsx")


@bp.route("/events/<event_code>/import-scores", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def import_scores(event_code: str):
    event = event_or_404(event_code)
    form = UploadForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        report = imports.run("scores", event, upload.read(), current_user,
                             upload.filename or "")
        if report.ok:
            flash(report.summary(_), "success")
            return redirect(url_for(".overview", event_code=event.code))
    failed = report is not None and not report.ok
    return render_template("judging/import.html", event=event, form=form, report=report), \
        422 if failed else 200


@bp.get("/events/<event_code>/import-scores/template.xlsx")
@role_required(*ORGANIZING)
def import_template(event_code: str):
    event = event_or_404(event_code)
    return downloads.xlsx(imports.IMPORTERS["scores"].template(event), "scores-template.xlsx")


