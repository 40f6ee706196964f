"""Set-up pages for trades: the list, a trade with its marking scheme, panel and award rule."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.forms.fields import options
from competition.models import Aspect, Criterion, Event, Trade
from competition.forms import setup as forms
from competition.services import judges, judging, setup
from competition.services.errors import Invalid, NotAllowed
from competition.setup.blueprint import bp
from competition.setup.judges import assign_form
from competition.web import downloads
from competition.web.access import ORGANIZING, READING, role_required
from competition.web.loaders import (event_or_404, in_event_or_404, scheme_part_or_404,
                                     trade_or_404)
from competition.web.paging import filters, page_number
from competition.web.refusals import flash_problem, flash_refusal, show_on_form

# --- trades ------------------------------------------------------------------------------------

@bp.get("/events/<event_code>/trades")
@role_required(*READING)
def trades(event_code: str):
    event = event_or_404(event_code)
    chosen = filters("q", "category", "kind")
    page = setup.trade_page(event, chosen, page_number())
    return render_template("setup/trades.html", event=event, page=page, filters=chosen,
                           categories=setup.categories(event))


@bp.route("/events/<event_code>/trades/new", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def new_trade(event_code: str):
    event = event_or_404(event_code)
    form = forms.TradeForm()
    if form.validate_on_submit():
        try:
            trade = setup.save_trade(event, None, form.data)
        except Invalid as refusal:
            show_on_form(form, refusal)
        else:
            flash(_("Trade %(code)s added. Now give it a marking scheme.", code=trade.code),
                  "success")
            return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code))
    return render_template("setup/trade_form.html", event=event, form=form, trade=None), \
        422 if form.errors else 200


@bp.route("/events/<event_code>/trades/<trade_code>/edit", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def edit_trade(event_code: str, trade_code: str):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    form = forms.TradeForm(obj=trade)
    if form.validate_on_submit():
        try:
            setup.save_trade(event, trade, form.data)
        except Invalid as refusal:
            show_on_form(form, refusal)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code))
    return render_template("setup/trade_form.html", event=event, form=form, trade=trade), \
        422 if form.errors else 200


@bp.post("/events/<event_code>/trades/<trade_code>/delete")
@role_required(*ORGANIZING)
def delete_trade(event_code: str, trade_code: str):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    try:
        setup.delete_trade(trade)
    except NotAllowed as refusal:
        flash_problem(refusal.problem)
        return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code))
    flash(_("Deleted."), "success")
    return redirect(url_for(".trades", event_code=event.code))


@bp.get("/events/<event_code>/trades/<trade_code>/")
@role_required(*READING)
def trade(event_code: str, trade_code: str):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    criterion_form = forms.CriterionForm(prefix="c")
    aspect_form = forms.AspectForm(prefix="a")
    aspect_form.criterion_id.choices = options((c.id, f"{c.code} {c.name_zh}")
                                                     for c in trade.criteria)
    return render_template(
        "setup/trade.html", event=event, trade=trade, criterion_form=criterion_form,
        aspect_form=aspect_form, problems=setup.scheme_problems(trade),
        rule=setup.effective_rule(trade), own_rule=setup.trade_rule(trade),
        panel=judges.panel(trade), assign_form=assign_form(event),
        thin=judging.thin_panels(trade),
    )


@bp.post("/events/<event_code>/trades/<trade_code>/criteria")
@bp.route("/events/<event_code>/trades/<trade_code>/criteria/<int:criterion_id>",
          methods=["GET", "POST"])
@role_required(*ORGANIZING)
def criterion(event_code: str, trade_code: str, criterion_id: int | None = None):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    existing = scheme_part_or_404(trade, Criterion, criterion_id)
    form = forms.CriterionForm(prefix="c", obj=existing)
    return _scheme_form(event, trade, form, setup.save_criterion, existing, _("Criterion"))


@bp.post("/events/<event_code>/trades/<trade_code>/aspects")
@bp.route("/events/<event_code>/trades/<trade_code>/aspects/<int:aspect_id>",
          methods=["GET", "POST"])
@role_required(*ORGANIZING)
def aspect(event_code: str, trade_code: str, aspect_id: int | None = None):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    existing = scheme_part_or_404(trade, Aspect, aspect_id)
    form = forms.AspectForm(prefix="a", obj=existing)
    form.criterion_id.choices = options((c.id, f"{c.code} {c.name_zh}") for c in trade.criteria)
    return _scheme_form(event, trade, form, setup.save_aspect, existing, _("Aspect"))


def _scheme_form(event: Event, trade: Trade, form, save, existing, title: str):
    """Save a criterion or aspect form through ``save``, or show it again with the refusal."""
    back = url_for(".trade", event_code=event.code, trade_code=trade.code)
    if form.validate_on_submit():
        try:
            save(trade, existing, form.data)
        except Invalid as refusal:
            show_on_form(form, refusal)
        except NotAllowed as refusal:
            flash_problem(refusal.problem)
        else:
            flash(_("Saved."), "success")
            return redirect(back)
    return render_template("setup/simple_form.html", event=event, form=form, title=title,
                           back=back), 422 if request.method == "POST" else 200


@bp.post("/events/<event_code>/trades/<trade_code>/criteria/<int:criterion_id>/delete")
@bp.post("/events/<event_code>/trades/<trade_code>/aspects/<int:aspect_id>/delete")
@role_required(*ORGANIZING)
def delete_scheme_part(event_code: str, trade_code: str, criterion_id: int | None = None,
                       aspect_id: int | None = None):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    part = (scheme_part_or_404(trade, Criterion, criterion_id) if criterion_id
            else scheme_part_or_404(trade, Aspect, aspect_id))
    try:
        setup.delete_scheme_part(trade, part)
    except NotAllowed as refusal:
        flash_problem(refusal.problem)
    else:
        flash(_("Deleted."), "success")
    return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code))


# --- award rules -------------------------------------------------------------------------------

@bp.route("/events/<event_code>/award-rule", methods=["GET", "POST"])
@bp.route("/events/<event_code>/trades/<trade_code>/award-rule", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def award_rule(event_code: str, trade_code: str | None = None):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code) if trade_code else None
    record = setup.effective_rule(trade) if trade else setup.event_rule(event)
    form = forms.AwardRuleForm(data=setup.rule_as_form_data(record))
    if form.validate_on_submit():
        try:
            setup.save_rule(event, trade, setup.rule_form_data(form.data))
        except Invalid as refusal:
            show_on_form(form, refusal)
        else:
            flash(_("Award rule saved."), "success")
            if trade:
                return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code))
            return redirect(url_for(".dashboard", event_code=event.code))
    return render_template("setup/award_rule.html", event=event, trade=trade, form=form), \
        422 if form.errors else 200


@bp.post("/events/<event_code>/trades/<trade_code>/award-rule/delete")
@role_required(*ORGANIZING)
def drop_award_rule(event_code: str, trade_code: str):
    event = event_or_404(event_code)
    trade = trade_or_404(event, trade_code)
    setup.drop_override(trade)
    flash(_("The trade now follows the event's award rule."), "success")
    return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code))


