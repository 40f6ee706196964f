"""Judging pages. Views parse and render; every rule is checked again in services.scoring."""

from __future__ import annotations

import re
from functools import wraps

import sqlalchemy as sa
from flask import (Blueprint, Response, abort, flash, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from competition.access import (ORGANIZING, READING, event_in_scope, refuse, role_required,
                                trade_in_event)
from competition.extensions import db
from competition.judging import forms
from competition.models import (Conflict, Contestant, Delegation, Event, Role, Trade,
                                TradeStatus, User)
from competition.services import score_import, scoring
from competition.services.errors import Invalid, NotAllowed
from competition.setup.forms import UploadForm
from competition.views import page_number

bp = Blueprint("judging", __name__, url_prefix="/judge")

JUDGES = (Role.JUDGE, Role.CHIEF_JUDGE)
EVERYONE = (*READING, *JUDGES)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def locale() -> str:
    return str(get_locale() or "zh")


def no_store(view):
    """Score sheets and marks are never cached, by the browser or anything between."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response
    return wrapped


def trade_in_scope(trade_id: int) -> Trade:
    trade = db.session.get(Trade, trade_id)
    if trade is None:
        abort(404)
    if current_user.role != Role.ADMINISTRATOR and current_user.event_id != trade.event_id:
        refuse(f"trade {trade_id} out of scope")
    return trade


def oversee(trade: Trade) -> None:
    if not scoring.can_oversee(current_user, trade):
        refuse(f"not chief of trade {trade.id}")


def flash_problem(problem) -> None:
    flash(problem.render(_), "error")


def flash_invalid(refusal: Invalid) -> None:
    for problem in refusal.problems.values():
        flash_problem(problem)


def xlsx(data: bytes, filename: str) -> Response:
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"})


# --- judges: my trades and the score sheet -----------------------------------------------------

@bp.get("/")
@role_required(*JUDGES)
def my_trades():
    return render_template("judging/my_trades.html", rows=scoring.my_trades(current_user))


_CELL = re.compile(r"^m-(\d+)-(\d+)$")


def submitted_cells(form) -> list[tuple[int, int, str, int | None, str]]:
    """(row id, aspect id, typed text, loaded version, loaded text) of every cell in a POST."""
    cells = []
    for name, value in form.items():
        if match := _CELL.match(name):
            row, aspect = int(match[1]), int(match[2])
            version = form.get(f"v-{row}-{aspect}", "")
            cells.append((row, aspect, value, int(version) if version.isdigit() else None,
                          form.get(f"o-{row}-{aspect}", "")))
    return cells


def changed(cells):
    """Only the cells the user changed go to the service: an untouched cell is no claim."""
    return [c for c in cells if c[2].strip() != c[4].strip()]


def render_cells(cells, result: scoring.SaveResult | None, key):
    """Texts, versions, originals and messages to re-show a refused sheet: what the user typed,
    except in a conflicting cell, which shows what it holds now."""
    values, versions, originals, errors = {}, {}, {}, {}
    conflicts = {c.key: c for c in result.conflicts} if result else {}
    problems = result.problems_by_cell if result else {}
    for row, aspect, text, version, original in cells:
        cell_key = key(row, aspect)
        values[(row, aspect)], versions[(row, aspect)] = text, version
        originals[(row, aspect)] = original
        if conflict := conflicts.get(cell_key):
            now = scoring.format_mark(conflict.current)
            values[(row, aspect)] = originals[(row, aspect)] = now
            versions[(row, aspect)] = conflict.current_version
            errors[(row, aspect)] = conflict.problem().render(_) + " " + _(
                "Your entry “%(mine)s” was not saved.", mine=text)
        elif problem := problems.get(cell_key):
            errors[(row, aspect)] = problem.render(_)
    return values, versions, originals, errors


def _after_save(result, cells, trade, criterion_id):
    """(302, redirect) after a clean save, else (status, state to re-show the sheet with)."""
    if result.ok:
        flash(_("%(n)s marks saved.", n=result.saved) if result.saved
              else _("Nothing changed."), "success")
        return 302, redirect(url_for(".sheet", trade_id=trade.id, criterion=criterion_id))
    for problem in result.problems:
        flash_problem(problem)
    # A recused cell is never on the sheet, so its refusal cannot stand beside it: say it here.
    for problem in {p.message: p for p in result.problems_by_cell.values()
                    if p.message in scoring.RECUSALS}.values():
        flash_problem(problem)
    if result.conflicts:
        flash(_("Nothing was saved: some marks were changed by someone else since you "
                "loaded the sheet. Check them and save again."), "error")
        status = 409
    else:
        flash(_("Nothing was saved: correct the marked cells."), "error")
        status = 422
    return status, render_cells(cells, result,
                                lambda e, a: scoring.CellKey(current_user.id, e, a))


@bp.route("/trades/<int:trade_id>/sheet", methods=["GET", "POST"])
@role_required(*JUDGES)
@no_store
def sheet(trade_id: int):
    trade = trade_in_scope(trade_id)
    criterion_id = request.args.get("criterion", type=int)
    try:
        scoring.require_judge(current_user, trade)
    except NotAllowed:
        refuse(f"not a judge of trade {trade_id}")
    form = forms.SheetForm()
    state = ({}, {}, {}, {})
    status = 200
    if request.method == "POST":
        cells = submitted_cells(request.form)
        if not form.validate_on_submit():
            status = 422
        else:
            try:
                result = scoring.save_sheet(current_user, trade, [
                    scoring.CellInput(row, aspect, text, version)
                    for row, aspect, text, version, _o in changed(cells)], form.reason.data or "")
            except NotAllowed as refusal:
                flash_problem(refusal.problem)
                status = 403
            else:
                status, state = _after_save(result, cells, trade, criterion_id)
                if status == 302:
                    return state
    data = scoring.sheet(current_user, trade, criterion_id, locale())
    return render_template("judging/sheet.html", data=data, form=form, state=state), status


@bp.get("/trades/<int:trade_id>/blank.xlsx")
@role_required(*EVERYONE)
def blank_sheet(trade_id: int):
    trade = trade_in_scope(trade_id)
    if current_user.role in JUDGES:
        try:
            scoring.require_judge(current_user, trade)
        except NotAllowed:
            refuse(f"not a judge of trade {trade_id}")
    return xlsx(scoring.blank_sheet(trade, current_user, _, locale()),
                f"marking-sheet-{trade.code}.xlsx")


# --- chief judge: progress, discrepancies, resolution, severity, sign-off ----------------------

@bp.get("/trades/<int:trade_id>/progress")
@role_required(*EVERYONE)
@no_store
def progress(trade_id: int):
    trade = trade_in_scope(trade_id)
    oversee(trade)
    found = scoring.progress(trade)
    disputes = scoring.discrepancies(trade)
    ids = set(found.missing) | {d.entrant_id for d in disputes} | set(found.thin)
    lines = {line.id: line for line in scoring.entrant_lines(trade, current_user, ids, locale())}
    aspects = {p.aspect.id: p.aspect for p in found.aspects}
    judges = {p.judge.id: p.judge for p in found.judges}
    is_chief = current_user.role in JUDGES
    return render_template("judging/progress.html", trade=trade, progress=found,
                           disputes=disputes, lines=lines, aspects=aspects, judges=judges,
                           is_chief=is_chief, form=forms.SignOffForm())


@bp.route("/trades/<int:trade_id>/entrants/<int:entrant_id>", methods=["GET", "POST"])
@role_required(*EVERYONE)
@no_store
def resolve(trade_id: int, entrant_id: int):
    trade = trade_in_scope(trade_id)
    oversee(trade)
    try:
        data = scoring.entrant_marks(current_user, trade, entrant_id, locale())
    except NotAllowed:
        abort(404)
    form = forms.SheetForm()
    state = ({}, {}, {}, {})
    status = 200
    if request.method == "POST":
        if current_user.role not in JUDGES:
            refuse("only the chief judge resolves marks")
        cells = submitted_cells(request.form)
        if form.validate_on_submit():
            try:
                result = scoring.save_sheet(current_user, trade, [
                    scoring.CellInput(entrant_id, aspect, text, version, judge_id=judge)
                    for judge, aspect, text, version, _o in changed(cells)],
                    form.reason.data or "")
            except NotAllowed as refusal:
                flash_problem(refusal.problem)
                return redirect(url_for(".resolve", trade_id=trade.id, entrant_id=entrant_id))
            if result.ok:
                flash(_("%(n)s marks saved.", n=result.saved), "success")
                return redirect(url_for(".resolve", trade_id=trade.id, entrant_id=entrant_id))
            for problem in result.problems:
                flash_problem(problem)
            status = 409 if result.conflicts else 422
            flash(_("Nothing was saved."), "error")
            state = render_cells(cells, result, lambda j, a: scoring.CellKey(j, entrant_id, a))
        else:
            status = 422
    can_edit = (current_user.role in JUDGES and trade.status == TradeStatus.OPEN)
    return render_template("judging/resolve.html", trade=trade, data=data, form=form,
                           state=state, can_edit=can_edit), status


@bp.get("/trades/<int:trade_id>/severity")
@role_required(*EVERYONE)
@no_store
def severity(trade_id: int):
    trade = trade_in_scope(trade_id)
    oversee(trade)
    return render_template("judging/severity.html", trade=trade, rows=scoring.severity(trade))


@bp.post("/trades/<int:trade_id>/sign-off")
@role_required(*JUDGES)
def sign_off(trade_id: int):
    trade = trade_in_scope(trade_id)
    form = forms.SignOffForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        scoring.sign_off(trade, current_user, form.note.data or "")
    except NotAllowed as refusal:
        if refusal.problem.message == scoring.NOT_CHIEF or \
                refusal.problem.message == scoring.NOT_ON_PANEL:
            refuse(f"not chief of trade {trade_id}")
        flash_problem(refusal.problem)
    except Invalid as refusal:
        flash_invalid(refusal)
    else:
        flash(_("Trade %(code)s signed off: its marks are locked.", code=trade.code), "success")
    return redirect(url_for(".progress", trade_id=trade.id))


# --- organizers: overview, control, conflicts, audit, import -----------------------------------

@bp.get("/events/<event_code>/")
@role_required(*READING)
def overview(event_code: str):
    event = event_in_scope(event_code)
    return render_template("judging/overview.html", event=event,
                           rows=scoring.event_overview(event))


@bp.get("/events/<event_code>/trades/<code>/control")
@role_required(*READING)
def control(event_code: str, code: str):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, code)
    last = db.session.scalars(scoring.audit_query(event, scoring.AuditFilter(trade_id=trade.id))
                              .where(scoring.AuditEntry.entrant_id.is_(None)).limit(10)).unique().all()
    return render_template("judging/control.html", event=event, trade=trade, history=last,
                           unlock_form=forms.ReasonForm(),
                           organizing=current_user.role in ORGANIZING)


@bp.post("/events/<event_code>/trades/<code>/open")
@role_required(*ORGANIZING)
def open_trade(event_code: str, code: str):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, code)
    try:
        scoring.open_trade(trade, current_user)
    except NotAllowed as refusal:
        flash_problem(refusal.problem)
    else:
        flash(_("Trade %(code)s is open for scoring.", code=trade.code), "success")
    return redirect(url_for(".control", event_code=event.code, code=trade.code))


@bp.post("/events/<event_code>/trades/<code>/unlock")
@role_required(*ORGANIZING)
def unlock(event_code: str, code: str):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, code)
    form = forms.ReasonForm()
    try:
        scoring.unlock(trade, current_user, form.reason.data if form.validate_on_submit() else "")
    except NotAllowed as refusal:
        flash_problem(refusal.problem)
    except Invalid as refusal:
        flash_invalid(refusal)
    else:
        flash(_("Trade %(code)s unlocked.", code=trade.code), "success")
    return redirect(url_for(".control", event_code=event.code, code=trade.code))


@bp.route("/events/<event_code>/conflicts", methods=["GET", "POST"])
@role_required(*READING)
def conflicts(event_code: str):
    event = event_in_scope(event_code)
    form = forms.ConflictForm()
    form.delegation_id.choices = [(0, "—")] + [
        (d.id, d.name(locale())) for d in db.session.scalars(
            sa.select(Delegation).where(Delegation.event_id == event.id).order_by(Delegation.code))]
    status = 200
    if request.method == "POST":
        if current_user.role not in ORGANIZING:
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
                    raise Invalid({"contestant": scoring.Problem(
                        scoring.N_("No such contestant in this event."))})
                scoring.declare_conflict(event, current_user, judge, contestant, delegation,
                                         form.reason.data or "")
            except Invalid as refusal:
                for name, problem in refusal.problems.items():
                    target = form._fields.get(name) if name else None
                    if target is not None:
                        target.errors = [*target.errors, problem.render(_)]
                    else:
                        flash_problem(problem)
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
                           rows=scoring.conflicts_of(event),
                           organizing=current_user.role in ORGANIZING), status


@bp.post("/events/<event_code>/conflicts/<int:conflict_id>/delete")
@role_required(*ORGANIZING)
def delete_conflict(event_code: str, conflict_id: int):
    event = event_in_scope(event_code)
    conflict = db.session.get(Conflict, conflict_id)
    if conflict is None or conflict.user.event_id != event.id:
        abort(404)
    scoring.remove_conflict(conflict)
    flash(_("Conflict of interest removed."), "success")
    return redirect(url_for(".conflicts", event_code=event.code))


def audit_filters(event: Event) -> tuple[forms.AuditFilterForm, scoring.AuditFilter]:
    form = forms.AuditFilterForm(request.args)
    form.trade.choices = [(0, _("All trades"))] + [
        (t.id, f"{t.code} {t.name(locale())}") for t in db.session.scalars(
            sa.select(Trade).where(Trade.event_id == event.id).order_by(Trade.code))]
    form.validate()
    judge_id = None
    if form.judge.data:
        judge_id = db.session.scalar(sa.select(User.id).where(
            User.username == form.judge.data, User.event_id == event.id)) or -1
    return form, scoring.AuditFilter(
        trade_id=form.trade.data or None if not form.trade.errors else None,
        judge_id=judge_id,
        entrant_id=form.entrant.data if not form.entrant.errors else None,
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None)


@bp.get("/events/<event_code>/audit")
@role_required(*READING)
def audit(event_code: str):
    event = event_in_scope(event_code)
    form, filters = audit_filters(event)
    page = db.paginate(scoring.audit_query(event, filters), page=page_number(), per_page=100,
                       error_out=False)
    return render_template("judging/audit.html", event=event, form=form, page=page,
                           row=scoring.audit_row)


@bp.get("/events/<event_code>/audit.xlsx")
@role_required(*READING)
def audit_export(event_code: str):
    event = event_in_scope(event_code)
    _form, filters = audit_filters(event)
    return xlsx(scoring.audit_workbook(event, filters, _), f"audit-{event.code}.xlsx")


@bp.route("/events/<event_code>/import-scores", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def import_scores(event_code: str):
    event = event_in_scope(event_code)
    form = UploadForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        report = score_import.import_scores(event, upload.read(), current_user,
                                            source=upload.filename or "")
        if report.ok:
            flash(report.summary(_), "success")
            return redirect(url_for(".overview", event_code=event.code))
    failed = report is not None and not report.ok
    return render_template("judging/import.html", event=event, form=form, report=report), \
        422 if failed else 200


@bp.get("/events/<event_code>/import-scores/template.xlsx")
@role_required(*ORGANIZING)
def import_template(event_code: str):
    event = event_in_scope(event_code)
    return xlsx(score_import.template(event), "scores-template.xlsx")


@bp.app_template_filter("mark")
def mark_filter(value) -> str:
    """A mark as typed: 7.5, not 7.500."""
    return scoring.format_mark(value)


@bp.app_template_filter("datetime_local")
def datetime_filter(value) -> str:
    return format_datetime(value, "yyyy-MM-dd HH:mm:ss") if value else ""


@bp.app_template_filter("problem")
def problem_filter(problem) -> str:
    """A service's Problem in the reader's language."""
    return problem.render(_)
