"""Set-up pages for trades: the list, a trade with its marking scheme, panel and award rule."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.roles import organizes
from competition.forms import setup as forms
from competition.forms.fields import options
from competition.models import Aspect, Criterion, Event, Trade
from competition.services import judges, judging, results, setup
from competition.setup.blueprint import bp
from competition.setup.judges import assign_form
from competition.web.access import ORGANIZING, READING
from competition.web.actions import attempt, form_status, submit
from competition.web.loaders import for_event, for_trade, scheme_part_or_404, trade_or_404
from competition.web.paging import filters, page_number

# --- trades ------------------------------------------------------------------------------------

@bp.get("/events/<event_code>/trades")
@for_event(*READING)
def trades(event: Event):
    chosen = filters("q", "category", "kind")
    page = setup.trade_page(event, chosen, page_number())
    return render_template("setup/trades.html", event=event, page=page, filters=chosen,
                           categories=setup.categories(event))


def _trade_url(event: Event, trade: Trade) -> str:
    return url_for(".trade", event_code=event.code, trade_code=trade.code)


@bp.route("/events/<event_code>/trades/new", methods=["GET", "POST"])
@for_event(*ORGANIZING)
def new_trade(event: Event):
    form = forms.TradeForm()
    if done := submit(form, lambda: setup.save_trade(event, None, form.data),
                      lambda trade: _("Trade %(code)s added. Now give it a marking scheme.",
                                      code=trade.code)):
        return redirect(_trade_url(event, done.value))
    return render_template("setup/trade_form.html", event=event, form=form, trade=None), \
        form_status(form)


def _say_amendment_needed(trade: Trade) -> None:
    """A published trade's public facts reach the public only with an amendment: say so."""
    if results.unpublished_facts(trade):
        flash(_("The results of this trade are published: the public keeps seeing the trade "
                "as published until you publish an amendment with its reason."), "info")


@bp.route("/events/<event_code>/trades/<trade_code>/edit", methods=["GET", "POST"])
@for_trade(*ORGANIZING)
def edit_trade(event: Event, trade: Trade):
    form = forms.TradeForm(obj=trade)
    if submit(form, lambda: setup.save_trade(event, trade, form.data), _("Saved.")):
        _say_amendment_needed(trade)
        return redirect(_trade_url(event, trade))
    return render_template("setup/trade_form.html", event=event, form=form, trade=trade,
                           published=bool(results.versions(trade))), \
        form_status(form)


@bp.post("/events/<event_code>/trades/<trade_code>/delete")
@for_trade(*ORGANIZING)
def delete_trade(event: Event, trade: Trade):
    if attempt(lambda: setup.delete_trade(trade), _("Deleted.")):
        return redirect(url_for(".trades", event_code=event.code))
    return redirect(_trade_url(event, trade))


def _criterion_choices(trade: Trade):
    return options((c.id, f"{c.code} {c.name_zh}") for c in trade.criteria)


@bp.get("/events/<event_code>/trades/<trade_code>/")
@for_trade(*READING)
def trade(event: Event, trade: Trade):
    aspect_form = forms.AspectForm(prefix="a")
    aspect_form.criterion_id.choices = _criterion_choices(trade)
    picker_q = filters("q")["q"][:100]  # the panel picker's search
    return render_template(
        "setup/trade.html", event=event, trade=trade, criterion_form=forms.CriterionForm(prefix="c"),
        aspect_form=aspect_form, problems=setup.scheme_problems(trade),
        rule=setup.effective_rule(trade), own_rule=setup.trade_rule(trade),
        panel=judges.panel(trade), assign_form=assign_form(event), picker_q=picker_q,
        candidates=judges.panel_candidates(trade, picker_q, page_number()) if organizes(
            current_user.role) else None,
        thin=judging.thin_panels(trade), unpublished=results.unpublished_facts(trade),
    )


def _scheme_form(event: Event, trade: Trade, model, part_id: int | None):
    """Add or edit a criterion or an aspect of the trade's marking scheme, or show the form
    again with the refusal."""
    existing = scheme_part_or_404(trade, model, part_id)
    if model is Criterion:
        form, save, title = forms.CriterionForm(prefix="c", obj=existing), setup.save_criterion, \
            _("Criterion")
    else:
        form, save, title = forms.AspectForm(prefix="a", obj=existing), setup.save_aspect, \
            _("Aspect")
        form.criterion_id.choices = _criterion_choices(trade)
    back = _trade_url(event, trade)
    if submit(form, lambda: save(trade, existing, form.data), _("Saved.")):
        return redirect(back)
    return render_template("setup/simple_form.html", event=event, form=form, title=title,
                           back=back), form_status(form, refused=request.method == "POST")


@bp.post("/events/<event_code>/trades/<trade_code>/criteria")
@bp.route("/events/<event_code>/trades/<trade_code>/criteria/<int:criterion_id>",
          methods=["GET", "POST"])
@for_trade(*ORGANIZING)
def criterion(event: Event, trade: Trade, criterion_id: int | None = None):
    return _scheme_form(event, trade, Criterion, criterion_id)


@bp.post("/events/<event_code>/trades/<trade_code>/aspects")
@bp.route("/events/<event_code>/trades/<trade_code>/aspects/<int:aspect_id>",
          methods=["GET", "POST"])
@for_trade(*ORGANIZING)
def aspect(event: Event, trade: Trade, aspect_id: int | None = None):
    return _scheme_form(event, trade, Aspect, aspect_id)


@bp.post("/events/<event_code>/trades/<trade_code>/criteria/<int:criterion_id>/delete")
@bp.post("/events/<event_code>/trades/<trade_code>/aspects/<int:aspect_id>/delete")
@for_trade(*ORGANIZING)
def delete_scheme_part(event: Event, trade: Trade, criterion_id: int | None = None,
                       aspect_id: int | None = None):
    part = (scheme_part_or_404(trade, Criterion, criterion_id) if criterion_id
            else scheme_part_or_404(trade, Aspect, aspect_id))
    attempt(lambda: setup.delete_scheme_part(trade, part), _("Deleted."))
    return redirect(_trade_url(event, trade))


# --- award rules -------------------------------------------------------------------------------

@bp.route("/events/<event_code>/award-rule", methods=["GET", "POST"])
@bp.route("/events/<event_code>/trades/<trade_code>/award-rule", methods=["GET", "POST"])
@for_event(*ORGANIZING)
def award_rule(event: Event, trade_code: str | None = None):
    trade = trade_or_404(event, trade_code) if trade_code else None
    record = setup.effective_rule(trade) if trade else setup.event_rule(event)
    form = forms.AwardRuleForm(data=setup.rule_as_form_data(record))
    published = results.published_under_rule(event, trade)
    if submit(form, lambda: setup.save_rule(event, trade, setup.rule_form_data(form.data)),
              _("Award rule saved.")):
        _say_awards_kept(published)
        return redirect(_trade_url(event, trade) if trade
                        else url_for(".dashboard", event_code=event.code))
    return render_template("setup/award_rule.html", event=event, trade=trade, form=form,
                           published=published), form_status(form)


def _say_awards_kept(published: int) -> None:
    """Published results keep their awards when a rule changes: say so, and how to change them."""
    if published:
        flash(_("Published trades that follow this rule: %(n)s. Their public results keep the "
                "awards as published until you publish an amendment for each, with its reason.",
                n=published), "info")


@bp.post("/events/<event_code>/trades/<trade_code>/award-rule/delete")
@for_trade(*ORGANIZING)
def drop_award_rule(event: Event, trade: Trade):
    published = results.published_under_rule(event, trade)
    if attempt(lambda: setup.drop_override(trade),
               _("The trade now follows the event's award rule.")):
        _say_awards_kept(published)
    return redirect(_trade_url(event, trade))
