"""The judge's pages: my trades, the score sheet and the blank marking sheet."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from competition.judging import forms
from competition.judging.blueprint import EVERYONE, JUDGES, bp, locale, no_store
from competition.judging.cells import after_save, changed, submitted_cells
from competition.models import Trade
from competition.services import judging
from competition.services.authority import require_judge
from competition.services.errors import NotAllowed
from competition.web import downloads
from competition.web.access import refuse, role_required
from competition.web.filters import datetime_local
from competition.web.loaders import for_trade_id
from competition.web.refusals import flash_problem

NO_STATE = ({}, {}, {}, {})


@bp.get("/")
@role_required(*JUDGES)
def my_trades():
    return render_template("judging/my_trades.html", rows=judging.my_trades(current_user))


@bp.route("/trades/<int:trade_id>/sheet", methods=["GET", "POST"])
@for_trade_id(*JUDGES)
@no_store
def sheet(trade: Trade):
    criterion_id = request.args.get("criterion", type=int)
    try:
        require_judge(current_user, trade)
    except NotAllowed:
        refuse(f"not a judge of trade {trade.id}")
    form = forms.SheetForm()
    state = NO_STATE
    status = 200
    if request.method == "POST":
        cells = submitted_cells(request.form, judging.entrants_by_key(trade).get)
        if not form.validate_on_submit():
            status = 422
        else:
            try:
                result = judging.save_sheet(current_user, trade, [
                    judging.CellInput(row, aspect, text, version)
                    for row, aspect, text, version, _o in changed(cells)], form.reason.data or "")
            except NotAllowed as refusal:
                flash_problem(refusal.problem)
                status = 403
            else:
                status, state = after_save(result, cells, trade, criterion_id)
                if status == 302:
                    return state
    return sheet_page(trade, form, state, criterion_id), status


def sheet_page(trade: Trade, form: forms.SheetForm, state=NO_STATE, criterion_id: int | None = None):
    """The judge's sheet of ``trade`` (the current user a judge of it), showing ``state``."""
    data = judging.sheet(current_user, trade, criterion_id, locale())
    return render_template("judging/sheet.html", data=data, form=form, state=state)


@bp.get("/trades/<int:trade_id>/blank.xlsx")
@for_trade_id(*EVERYONE)
def blank_sheet(trade: Trade):
    if current_user.role in JUDGES:
        try:
            require_judge(current_user, trade)
        except NotAllowed:
            refuse(f"not a judge of trade {trade.id}")
    return downloads.xlsx(judging.blank_sheet(trade, current_user, _, locale()),
                f"marking-sheet-{trade.code}.xlsx")


@bp.get("/trades/<int:trade_id>/judges/<int:judge_id>/record.pdf")
@for_trade_id(*EVERYONE)
def score_record(trade: Trade, judge_id: int):
    """A judge's score record to sign: their own, or any of the trade's for who oversees it."""
    try:
        data = judging.score_record(current_user, trade, judge_id, _, datetime_local, locale())
    except NotAllowed:
        refuse(f"no score record of judge {judge_id} in trade {trade.id} for this user")
    return downloads.attachment(data, f"score-record-{trade.code}-{judge_id}.pdf", "application/pdf")
