"""The chief judge's pages: progress, discrepancies, resolving one entrant's marks, judge
severity and sign-off (organizers and supervisors see them too, read-only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.roles import organizes, scores
from competition.judging import forms
from competition.judging.blueprint import EVERYONE, JUDGES, bp, locale, no_store
from competition.judging.cells import changed, judge_ids, render_cells, submitted_cells
from competition.models import Trade
from competition.services import judging
from competition.services.authority import can_oversee, is_chief_of
from competition.services.errors import NotAllowed
from competition.web.access import refuse, trade_allows
from competition.web.actions import attempt
from competition.web.loaders import for_trade_id
from competition.web.refusals import flash_problem

NO_STATE = ({}, {}, {}, {})


def oversee(trade) -> None:
    if not can_oversee(current_user, trade):
        refuse(f"not chief of trade {trade.id}")


@bp.get("/trades/<int:trade_id>/progress")
@for_trade_id(*EVERYONE)
@no_store
def progress(trade: Trade):
    oversee(trade)
    found = judging.progress(trade)
    disputes = judging.discrepancies(trade)
    ids = set(found.missing) | {d.entrant_id for d in disputes} | set(found.thin)
    # In sheet order (by code under blind judging): in the order of their ids, which follows
    # registration, the codes would fall into their delegations.
    ordered = judging.entrant_lines(trade, current_user, ids, locale())
    lines = {line.id: line for line in ordered}
    place = {line.id: n for n, line in enumerate(ordered)}
    aspects = {p.aspect.id: p.aspect for p in found.aspects}
    judges = {p.judge.id: p.judge for p in found.judges}
    is_chief = scores(current_user.role)
    return render_template(
        "judging/progress.html", trade=trade, progress=found, lines=lines, aspects=aspects,
        judges=judges, is_chief=is_chief, form=forms.SignOffForm(),
        disputes=sorted(disputes, key=lambda d: (place.get(d.entrant_id, 0), d.aspect_id)),
        missing=sorted(found.missing.items(), key=lambda item: place.get(item[0], 0)),
        thin=sorted(found.thin.items(), key=lambda item: place.get(item[0], 0)))


@bp.route("/trades/<int:trade_id>/entrants/<entrant_key>", methods=["GET", "POST"])
@for_trade_id(*EVERYONE)
@no_store
def resolve(trade: Trade, entrant_key: str):
    oversee(trade)
    data = entrant_marks_or_404(trade, entrant_key)
    form = forms.SheetForm()
    state = NO_STATE
    status = 200
    if request.method == "POST":
        if not (scores(current_user.role) or organizes(current_user.role)):
            refuse("only the chief, a deputy chief judge or the organizer resolves marks")
        entrant_id = data.entrant.id
        cells = submitted_cells(request.form, judge_ids)
        if form.validate_on_submit():
            try:
                result = judging.resolve_marks(current_user, trade, entrant_id, [
                    judging.CellInput(entrant_id, aspect, text, version, judge_id=judge)
                    for judge, aspect, text, version, _o in changed(cells)],
                    form.reason.data or "")
            except NotAllowed as refusal:
                flash_problem(refusal.problem)
                return redirect(url_for(".resolve", trade_id=trade.id, entrant_key=entrant_key))
            if result.ok:
                flash(_("%(n)s marks saved.", n=result.saved), "success")
                return redirect(url_for(".resolve", trade_id=trade.id, entrant_key=entrant_key))
            for problem in result.problems:
                flash_problem(problem)
            status = 409 if result.stale else 422
            flash(_("Nothing was saved."), "error")
            state = render_cells(cells, result, lambda j, a: judging.CellKey(j, entrant_id, a))
        else:
            status = 422
    return resolve_page(trade, data, form, state), status


def entrant_marks_or_404(trade: Trade, entrant_key: str) -> judging.EntrantMarks:
    try:
        return judging.entrant_marks(current_user, trade, entrant_key, locale())
    except NotAllowed:
        abort(404)


def resolve_page(trade: Trade, data: judging.EntrantMarks, form: forms.SheetForm, state=NO_STATE):
    """One entrant's marks, who resolves them, and, for them, the fields, showing ``state``."""
    resolver = judging.resolver(current_user, trade, data.entrant.id)
    can_edit = resolver.you and trade_allows(trade, "marks")
    return render_template("judging/resolve.html", trade=trade, data=data, form=form,
                           state=state, can_edit=can_edit, resolver=resolver)


@bp.get("/trades/<int:trade_id>/severity")
@for_trade_id(*EVERYONE)
@no_store
def severity(trade: Trade):
    oversee(trade)
    return render_template("judging/severity.html", trade=trade, rows=judging.severity(trade))


@bp.post("/trades/<int:trade_id>/sign-off")
@for_trade_id(*JUDGES)
def sign_off(trade: Trade):
    form = forms.SignOffForm()
    if not form.validate_on_submit():
        abort(400)
    if not is_chief_of(current_user, trade):
        refuse(f"not chief of trade {trade.id}")
    attempt(lambda: judging.sign_off(trade, current_user, form.note.data or ""),
            _("Trade %(code)s signed off: its marks are locked.", code=trade.code))
    return redirect(url_for(".progress", trade_id=trade.id))


