"""The chief judge's pages: progress, discrepancies, resolving one entrant's marks, judge
severity and sign-off (organizers and supervisors see them too, read-only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.panel import NOT_CHIEF, NOT_ON_PANEL
from competition.domain.roles import scores
from competition.judging import forms
from competition.judging.blueprint import EVERYONE, JUDGES, bp, locale, no_store
from competition.judging.cells import changed, render_cells, submitted_cells
from competition.services import judging
from competition.services.authority import can_oversee
from competition.services.errors import Invalid, NotAllowed
from competition.web.access import refuse, role_required, trade_allows
from competition.web.loaders import trade_by_id_or_404
from competition.web.refusals import flash_problem, flash_refusal


def oversee(trade) -> None:
    if not can_oversee(current_user, trade):
        refuse(f"not chief of trade {trade.id}")

# --- chief judge: progress, discrepancies, resolution, severity, sign-off ----------------------

@bp.get("/trades/<int:trade_id>/progress")
@role_required(*EVERYONE)
@no_store
def progress(trade_id: int):
    trade = trade_by_id_or_404(trade_id)
    oversee(trade)
    found = judging.progress(trade)
    disputes = judging.discrepancies(trade)
    ids = set(found.missing) | {d.entrant_id for d in disputes} | set(found.thin)
    lines = {line.id: line for line in judging.entrant_lines(trade, current_user, ids, locale())}
    aspects = {p.aspect.id: p.aspect for p in found.aspects}
    judges = {p.judge.id: p.judge for p in found.judges}
    is_chief = scores(current_user.role)
    return render_template("judging/progress.html", trade=trade, progress=found,
                           disputes=disputes, lines=lines, aspects=aspects, judges=judges,
                           is_chief=is_chief, form=forms.SignOffForm())


@bp.route("/trades/<int:trade_id>/entrants/<int:entrant_id>", methods=["GET", "POST"])
@role_required(*EVERYONE)
@no_store
def resolve(trade_id: int, entrant_id: int):
    trade = trade_by_id_or_404(trade_id)
    oversee(trade)
    try:
        data = judging.entrant_marks(current_user, trade, entrant_id, locale())
    except NotAllowed:
        abort(404)
    form = forms.SheetForm()
    state = ({}, {}, {}, {})
    status = 200
    if request.method == "POST":
        if not scores(current_user.role):
            refuse("only the chief judge resolves marks")
        cells = submitted_cells(request.form)
        if form.validate_on_submit():
            try:
                result = judging.save_sheet(current_user, trade, [
                    judging.CellInput(entrant_id, aspect, text, version, judge_id=judge)
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
            status = 409 if result.stale else 422
            flash(_("Nothing was saved."), "error")
            state = render_cells(cells, result, lambda j, a: judging.CellKey(j, entrant_id, a))
        else:
            status = 422
    can_edit = scores(current_user.role) and trade_allows(trade, "marks")
    return render_template("judging/resolve.html", trade=trade, data=data, form=form,
                           state=state, can_edit=can_edit), status


@bp.get("/trades/<int:trade_id>/severity")
@role_required(*EVERYONE)
@no_store
def severity(trade_id: int):
    trade = trade_by_id_or_404(trade_id)
    oversee(trade)
    return render_template("judging/severity.html", trade=trade, rows=judging.severity(trade))


@bp.post("/trades/<int:trade_id>/sign-off")
@role_required(*JUDGES)
def sign_off(trade_id: int):
    trade = trade_by_id_or_404(trade_id)
    form = forms.SignOffForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        judging.sign_off(trade, current_user, form.note.data or "")
    except NotAllowed as refusal:
        if refusal.problem.message == NOT_CHIEF or \
                refusal.problem.message == NOT_ON_PANEL:
            refuse(f"not chief of trade {trade_id}")
        flash_problem(refusal.problem)
    except Invalid as refusal:
        flash_refusal(refusal)
    else:
        flash(_("Trade %(code)s signed off: its marks are locked.", code=trade.code), "success")
    return redirect(url_for(".progress", trade_id=trade.id))


