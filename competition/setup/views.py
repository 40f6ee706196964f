"""Organizer pages: the event, its delegations, trades, marking schemes, award rules and judges."""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from competition.access import ORGANIZING, READING, event_in_scope, role_required, trade_in_event
from competition.extensions import db
from competition.models import Aspect, Criterion, Delegation, Event, Role, Trade, User
from competition.services import accounts, judges, setup
from competition.services import setup_import
from competition.services.errors import Invalid, NotAllowed
from competition.setup import forms
from competition.views import page_number

bp = Blueprint("setup", __name__, url_prefix="/manage")


def form_failed(form, refusal: Invalid) -> None:
    """Put a service's refusal next to the fields it concerns, in the user's language."""
    for field, problem in refusal.problems.items():
        message = problem.render(_)
        if field and field in form:
            form[field].errors = [*form[field].errors, message]
        else:
            flash(message, "error")


def refused(problem) -> None:
    flash(problem.render(_), "error")


def object_in_event(model, object_id: int, event: Event):
    obj = db.session.get(model, object_id)
    if obj is None or obj.event_id != event.id:
        abort(404)
    return obj


# --- events ------------------------------------------------------------------------------------

@bp.get("/events")
@role_required(*READING)
def events():
    query = sa.select(Event).order_by(Event.start_date.desc().nullslast(), Event.code)
    if current_user.role != Role.ADMINISTRATOR:
        query = query.where(Event.id == current_user.event_id)
    found = db.session.scalars(query).all()
    if len(found) == 1 and current_user.role != Role.ADMINISTRATOR:
        return redirect(url_for(".dashboard", event_code=found[0].code))
    return render_template("setup/events.html", events=found)


@bp.route("/events/new", methods=["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def new_event():
    form = forms.EventForm()
    if form.validate_on_submit():
        try:
            event = setup.save_event(None, form.data)
        except Invalid as refusal:
            form_failed(form, refusal)
        else:
            flash(_("Event %(code)s created.", code=event.code), "success")
            return redirect(url_for(".dashboard", event_code=event.code))
    return render_template("setup/event_form.html", form=form, event=None)


@bp.route("/events/<event_code>/edit", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def edit_event(event_code: str):
    event = event_in_scope(event_code)
    form = forms.EventForm(obj=event)
    if form.validate_on_submit():
        try:
            setup.save_event(event, form.data)
        except Invalid as refusal:
            form_failed(form, refusal)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".dashboard", event_code=event.code))
    return render_template("setup/event_form.html", form=form, event=event)


@bp.get("/events/<event_code>/")
@role_required(*READING)
def dashboard(event_code: str):
    event = event_in_scope(event_code)
    return render_template("setup/dashboard.html", event=event,
                           overview=setup.overview(event))


# --- delegations -------------------------------------------------------------------------------

@bp.route("/events/<event_code>/delegations", methods=["GET", "POST"])
@role_required(*READING)
def delegations(event_code: str):
    event = event_in_scope(event_code)
    form = forms.DelegationForm()
    if request.method == "POST":
        if current_user.role not in ORGANIZING:
            abort(403)
        if form.validate_on_submit():
            try:
                delegation = setup.save_delegation(event, None, form.data)
            except Invalid as refusal:
                form_failed(form, refusal)
            else:
                flash(_("Delegation %(name)s added.", name=delegation.name_zh), "success")
                return redirect(url_for(".delegations", event_code=event.code))
    rows = setup.delegation_rows(event)
    status = 422 if form.errors else 200
    return render_template("setup/delegations.html", event=event, form=form, rows=rows), status


@bp.route("/events/<event_code>/delegations/<int:delegation_id>/edit", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def edit_delegation(event_code: str, delegation_id: int):
    event = event_in_scope(event_code)
    delegation = object_in_event(Delegation, delegation_id, event)
    form = forms.DelegationForm(obj=delegation)
    if form.validate_on_submit():
        try:
            setup.save_delegation(event, delegation, form.data)
        except Invalid as refusal:
            form_failed(form, refusal)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".delegations", event_code=event.code))
    return render_template("setup/simple_form.html", event=event, form=form,
                           title=_("Edit delegation"),
                           back=url_for(".delegations", event_code=event.code))


@bp.post("/events/<event_code>/delegations/<int:delegation_id>/delete")
@role_required(*ORGANIZING)
def delete_delegation(event_code: str, delegation_id: int):
    event = event_in_scope(event_code)
    delegation = object_in_event(Delegation, delegation_id, event)
    try:
        setup.delete_delegation(delegation)
    except NotAllowed as refusal:
        refused(refusal.problem)
    else:
        flash(_("Deleted."), "success")
    return redirect(url_for(".delegations", event_code=event.code))


# --- trades ------------------------------------------------------------------------------------

@bp.get("/events/<event_code>/trades")
@role_required(*READING)
def trades(event_code: str):
    event = event_in_scope(event_code)
    filters = {k: request.args.get(k, "").strip() for k in ("q", "category", "kind")}
    page = setup.trade_page(event, filters, page_number())
    return render_template("setup/trades.html", event=event, page=page, filters=filters,
                           categories=setup.categories(event))


@bp.route("/events/<event_code>/trades/new", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def new_trade(event_code: str):
    event = event_in_scope(event_code)
    form = forms.TradeForm()
    if form.validate_on_submit():
        try:
            trade = setup.save_trade(event, None, form.data)
        except Invalid as refusal:
            form_failed(form, refusal)
        else:
            flash(_("Trade %(code)s added. Now give it a marking scheme.", code=trade.code),
                  "success")
            return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code))
    return render_template("setup/trade_form.html", event=event, form=form, trade=None), \
        422 if form.errors else 200


@bp.route("/events/<event_code>/trades/<trade_code>/edit", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def edit_trade(event_code: str, trade_code: str):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    form = forms.TradeForm(obj=trade)
    if form.validate_on_submit():
        try:
            setup.save_trade(event, trade, form.data)
        except Invalid as refusal:
            form_failed(form, refusal)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code))
    return render_template("setup/trade_form.html", event=event, form=form, trade=trade), \
        422 if form.errors else 200


@bp.post("/events/<event_code>/trades/<trade_code>/delete")
@role_required(*ORGANIZING)
def delete_trade(event_code: str, trade_code: str):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    try:
        setup.delete_trade(trade)
    except NotAllowed as refusal:
        refused(refusal.problem)
        return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code))
    flash(_("Deleted."), "success")
    return redirect(url_for(".trades", event_code=event.code))


@bp.get("/events/<event_code>/trades/<trade_code>/")
@role_required(*READING)
def trade(event_code: str, trade_code: str):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    criterion_form = forms.CriterionForm(prefix="c")
    aspect_form = forms.AspectForm(prefix="a")
    aspect_form.criterion_id.choices = forms.options((c.id, f"{c.code} {c.name_zh}")
                                                     for c in trade.criteria)
    return render_template(
        "setup/trade.html", event=event, trade=trade, criterion_form=criterion_form,
        aspect_form=aspect_form, problems=setup.scheme_problems(trade),
        rule=setup.effective_rule(trade), own_rule=setup.trade_rule(trade),
        panel=judges.panel(trade), assign_form=_assign_form(event),
        thin=judges.thin_panels(trade),
    )


def _assign_form(event: Event) -> forms.AssignmentForm:
    form = forms.AssignmentForm()
    form.user_id.choices = forms.options((u.id, f"{u.name} ({u.username})")
                                         for u in judges.event_judges(event))
    return form


@bp.post("/events/<event_code>/trades/<trade_code>/criteria")
@bp.route("/events/<event_code>/trades/<trade_code>/criteria/<int:criterion_id>",
          methods=["GET", "POST"])
@role_required(*ORGANIZING)
def criterion(event_code: str, trade_code: str, criterion_id: int | None = None):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    existing = scheme_part_in_trade(trade, Criterion, criterion_id)
    form = forms.CriterionForm(prefix="c", obj=existing)
    return _scheme_form(event, trade, form, setup.save_criterion, existing, _("Criterion"))


@bp.post("/events/<event_code>/trades/<trade_code>/aspects")
@bp.route("/events/<event_code>/trades/<trade_code>/aspects/<int:aspect_id>",
          methods=["GET", "POST"])
@role_required(*ORGANIZING)
def aspect(event_code: str, trade_code: str, aspect_id: int | None = None):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    existing = scheme_part_in_trade(trade, Aspect, aspect_id)
    form = forms.AspectForm(prefix="a", obj=existing)
    form.criterion_id.choices = forms.options((c.id, f"{c.code} {c.name_zh}") for c in trade.criteria)
    return _scheme_form(event, trade, form, setup.save_aspect, existing, _("Aspect"))


def scheme_part_in_trade(trade: Trade, model, part_id: int | None):
    """The criterion or aspect ``part_id`` of this trade (None for a new one); 404 otherwise."""
    if part_id is None:
        return None
    part = db.session.get(model, part_id)
    owner = part and (part.trade_id if isinstance(part, Criterion) else part.criterion.trade_id)
    if part is None or owner != trade.id:
        abort(404)
    return part


def _scheme_form(event: Event, trade: Trade, form, save, existing, title: str):
    """Save a criterion or aspect form through ``save``, or show it again with the refusal."""
    back = url_for(".trade", event_code=event.code, trade_code=trade.code)
    if form.validate_on_submit():
        try:
            save(trade, existing, form.data)
        except Invalid as refusal:
            form_failed(form, refusal)
        except NotAllowed as refusal:
            refused(refusal.problem)
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
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    part = (scheme_part_in_trade(trade, Criterion, criterion_id) if criterion_id
            else scheme_part_in_trade(trade, Aspect, aspect_id))
    try:
        setup.delete_scheme_part(trade, part)
    except NotAllowed as refusal:
        refused(refusal.problem)
    else:
        flash(_("Deleted."), "success")
    return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code))


# --- award rules -------------------------------------------------------------------------------

@bp.route("/events/<event_code>/award-rule", methods=["GET", "POST"])
@bp.route("/events/<event_code>/trades/<trade_code>/award-rule", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def award_rule(event_code: str, trade_code: str | None = None):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code) if trade_code else None
    record = setup.effective_rule(trade) if trade else setup.event_rule(event)
    form = forms.AwardRuleForm(data=setup.rule_as_form_data(record))
    if form.validate_on_submit():
        try:
            setup.save_rule(event, trade, setup.rule_form_data(form.data))
        except Invalid as refusal:
            form_failed(form, refusal)
        else:
            flash(_("Award rule saved."), "success")
            if trade:
                return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code))
            return redirect(url_for(".dashboard", event_code=event.code))
    elif request.method == "GET":
        db.session.commit()  # keep a default rule made on first look
    return render_template("setup/award_rule.html", event=event, trade=trade, form=form), \
        422 if form.errors else 200


@bp.post("/events/<event_code>/trades/<trade_code>/award-rule/delete")
@role_required(*ORGANIZING)
def drop_award_rule(event_code: str, trade_code: str):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    setup.drop_override(trade)
    flash(_("The trade now follows the event's award rule."), "success")
    return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code))


# --- judges ------------------------------------------------------------------------------------

def _judge_form(event: Event, obj=None) -> forms.JudgeForm:
    form = forms.JudgeForm(obj=obj)
    form.delegation_id.choices = forms.options([(0, _("— none —"))] + [
        (d.id, f"{d.code} {d.name_zh}") for d in event.delegations])
    form.trade_ids.choices = forms.options((t.id, f"{t.code} {t.name_zh}") for t in event.trades)
    if obj is not None and request.method == "GET":
        form.delegation_id.data = obj.delegation_id or 0
        form.trade_ids.data = [a.trade_id for a in obj.assignments]
    return form


@bp.get("/events/<event_code>/judges")
@role_required(*READING)
def judge_list(event_code: str):
    event = event_in_scope(event_code)
    filters = {k: request.args.get(k, "").strip() for k in ("q", "trade", "delegation", "role")}
    page = judges.judge_page(event, filters, page_number())
    return render_template("setup/judges.html", event=event, page=page, filters=filters)


@bp.route("/events/<event_code>/judges/new", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def new_judge(event_code: str):
    event = event_in_scope(event_code)
    form = _judge_form(event)
    if form.validate_on_submit():
        try:
            credential = judges.create_judge(event, form.data)
        except Invalid as refusal:
            form_failed(form, refusal)
        else:
            return render_template("setup/credentials.html", event=event,
                                   credentials=[credential],
                                   sheet=judges.credentials_sheet([credential]))
    return render_template("setup/simple_form.html", event=event, form=form,
                           title=_("New judge"), back=url_for(".judge_list", event_code=event.code)), \
        422 if form.errors else 200


@bp.route("/events/<event_code>/judges/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def edit_judge(event_code: str, user_id: int):
    event = event_in_scope(event_code)
    user = object_in_event(User, user_id, event)
    if user.role not in judges.JUDGING_ROLES:
        abort(403)
    form = _judge_form(event, user)
    if form.validate_on_submit():
        try:
            judges.update_judge(event, user, form.data)
        except Invalid as refusal:
            form_failed(form, refusal)
        except NotAllowed as refusal:
            refused(refusal.problem)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for(".judge_list", event_code=event.code))
    return render_template("setup/judge_form.html", event=event, form=form, user=user), \
        422 if form.errors else 200


@bp.post("/events/<event_code>/judges/<int:user_id>/password")
@role_required(*ORGANIZING)
def reset_password(event_code: str, user_id: int):
    event = event_in_scope(event_code)
    user = object_in_event(User, user_id, event)
    if user.role not in judges.JUDGING_ROLES:
        abort(403)
    password = accounts.reset_password(user)
    credential = judges.credential(user, password)
    return render_template("setup/credentials.html", event=event, credentials=[credential],
                           sheet=judges.credentials_sheet([credential]))


@bp.post("/events/<event_code>/judges/<int:user_id>/enabled")
@role_required(*ORGANIZING)
def set_enabled(event_code: str, user_id: int):
    event = event_in_scope(event_code)
    user = object_in_event(User, user_id, event)
    if user.role not in judges.JUDGING_ROLES:
        abort(403)
    accounts.set_enabled(user, request.form.get("enabled") == "1")
    flash(_("Saved."), "success")
    return redirect(url_for(".edit_judge", event_code=event.code, user_id=user.id))


@bp.post("/events/<event_code>/trades/<trade_code>/panel")
@role_required(*ORGANIZING)
def add_to_panel(event_code: str, trade_code: str):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    form = _assign_form(event)
    if form.validate_on_submit():
        user = object_in_event(User, form.user_id.data, event)
        try:
            judges.assign(trade, user, form.is_chief.data)
        except (NotAllowed, Invalid) as refusal:
            refused(refusal.problem if isinstance(refusal, NotAllowed)
                    else next(iter(refusal.problems.values())))
        else:
            flash(_("Saved."), "success")
    else:
        flash(_("Choose a judge."), "error")
    return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code) + "#panel")


@bp.post("/events/<event_code>/trades/<trade_code>/panel/<int:user_id>/remove")
@role_required(*ORGANIZING)
def remove_from_panel(event_code: str, trade_code: str, user_id: int):
    event = event_in_scope(event_code)
    trade = trade_in_event(event, trade_code)
    user = object_in_event(User, user_id, event)
    judges.unassign(trade, user)
    flash(_("Removed from the panel."), "success")
    return redirect(url_for(".trade", event_code=event.code, trade_code=trade.code) + "#panel")


@bp.route("/events/<event_code>/organizers", methods=["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def organizers(event_code: str):
    event = event_in_scope(event_code)
    form = forms.OrganizerForm()
    if form.validate_on_submit():
        try:
            credential = judges.create_organizer(event, form.data)
        except Invalid as refusal:
            form_failed(form, refusal)
        else:
            return render_template("setup/credentials.html", event=event, credentials=[credential],
                                   sheet=judges.credentials_sheet([credential]))
    return render_template("setup/organizers.html", event=event, form=form,
                           organizers=judges.organizers(event)), 422 if form.errors else 200


# --- imports from Excel ------------------------------------------------------------------------

@bp.route("/events/<event_code>/import/<kind>", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def import_sheet(event_code: str, kind: str):
    event = event_in_scope(event_code)
    importer = setup_import.IMPORTERS.get(kind)
    if importer is None:
        abort(404)
    form = forms.UploadForm()
    report = None
    if form.validate_on_submit():
        report = importer.run(event, form.file.data.read())
        if report.ok:
            if report.credentials:
                return render_template("setup/credentials.html", event=event,
                                       credentials=report.credentials,
                                       sheet=judges.credentials_sheet(report.credentials))
            flash(report.summary(_), "success")
            return redirect(url_for(importer.endpoint, event_code=event.code))
    return render_template("setup/import.html", event=event, form=form, report=report,
                           importer=importer, kind=kind), \
        422 if report is not None and not report.ok else 200


@bp.get("/events/<event_code>/import/<kind>/template.xlsx")
@role_required(*ORGANIZING)
def import_template(event_code: str, kind: str):
    event = event_in_scope(event_code)
    importer = setup_import.IMPORTERS.get(kind)
    if importer is None:
        abort(404)
    return xlsx_response(importer.template(event), f"{kind}-template.xlsx")


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")  # names may carry a user's filter: no header injection


def xlsx_response(data: bytes, filename: str) -> Response:
    return Response(
        data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename={_SAFE_NAME.sub('_', filename)}",
                 "Cache-Control": "no-store"},
    )
