"""Setting up an event: delegations, trades, marking schemes, award rules.

Each function validates what the form cannot know (uniqueness within the event, the state of the
trade), changes the database and commits; a refusal is raised as :class:`Invalid` or
:class:`NotAllowed` with nothing saved.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from competition.domain import awards as award_rules
from competition.domain.aggregation import AspectKind, validate_scheme
from competition.domain.messages import N_, Problem
from competition.domain.readiness import EventFacts, TradeFacts, readiness
from competition.extensions import db
from competition.models import (Aspect, AwardRule, Contestant, Criterion, Delegation, EntryType,
                                Event, Trade, TradeStatus, User)
from competition.services.errors import Invalid, NotAllowed, committing

TAKEN_CODE = Problem(N_("This code is already used in this event."))
TAKEN_NAME = Problem(N_("This name is already used in this event."))


def _taken(model, event_id: int, column, value: str, except_id: int | None) -> bool:
    query = sa.select(model.id).where(model.event_id == event_id,
                                      sa.func.lower(column) == value.lower())
    if except_id is not None:
        query = query.where(model.id != except_id)
    return db.session.scalar(query) is not None


def _check_code_and_name(model, event: Event, data: dict, except_id: int | None) -> None:
    problems: dict[str | None, Problem] = {}
    if _taken(model, event.id, model.code, data["code"], except_id):
        problems["code"] = TAKEN_CODE
    if _taken(model, event.id, model.name_zh, data["name_zh"], except_id):
        problems["name_zh"] = TAKEN_NAME
    if problems:
        raise Invalid(problems)


def _apply(obj: Any, data: dict, fields: tuple[str, ...]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


# --- events ------------------------------------------------------------------------------------

EVENT_FIELDS = ("code", "name_zh", "name_en", "organizer_name", "venue", "start_date", "end_date",
                "medal_order", "scaling")


def save_event(event: Event | None, data: dict) -> Event:
    """Create or update an event; a new event gets the default award rule (places 1/2/3)."""
    query = sa.select(Event.id).where(sa.func.lower(Event.code) == data["code"].lower())
    if event is not None:
        query = query.where(Event.id != event.id)
    if db.session.scalar(query) is not None:
        raise Invalid({"code": Problem(N_("Another event already uses this code."))})
    with committing(Problem(N_("Another event already uses this code.")), "code"):
        if event is None:
            event = Event()
            db.session.add(event)
            event.award_rules.append(AwardRule(trade_id=None))
        _apply(event, data, EVENT_FIELDS)
    return event


# --- delegations -------------------------------------------------------------------------------

def save_delegation(event: Event, delegation: Delegation | None, data: dict) -> Delegation:
    _check_code_and_name(Delegation, event, data, delegation.id if delegation else None)
    with committing(TAKEN_CODE, "code"):
        if delegation is None:
            delegation = Delegation(event=event)
            db.session.add(delegation)
        _apply(delegation, data, ("code", "name_zh", "name_en"))
    return delegation


def delete_delegation(delegation: Delegation) -> None:
    """Remove a delegation nobody belongs to yet."""
    judges = db.session.scalar(sa.select(sa.func.count(User.id))
                               .where(User.delegation_id == delegation.id))
    if judges or _has_contestants(delegation_id=delegation.id):
        raise NotAllowed(Problem(N_("This delegation still has judges or contestants.")))
    with committing():
        db.session.delete(delegation)


def _has_contestants(**where: int) -> bool:
    """Whether any contestant is registered for this delegation or trade."""
    column, value = next(iter(where.items()))
    return db.session.scalar(sa.select(Contestant.id).where(getattr(Contestant, column) == value)
                             .limit(1)) is not None


# --- trades ------------------------------------------------------------------------------------

TRADE_FIELDS = ("code", "name_zh", "name_en", "category", "entry_type", "team_size",
                "is_demonstration", "quota_per_delegation", "uses_anonymous_codes",
                "judgement_threshold")


def find_trade(event: Event, code: str) -> Trade | None:
    """The event's trade with this code, if there is one."""
    return db.session.scalar(sa.select(Trade).where(Trade.event_id == event.id, Trade.code == code))


def save_trade(event: Event, trade: Trade | None, data: dict) -> Trade:
    """Create or update a trade; its entry type can change only while nobody is registered."""
    _check_code_and_name(Trade, event, data, trade.id if trade else None)
    if trade is not None and data.get("entry_type") != trade.entry_type and \
            _has_contestants(trade_id=trade.id):
        raise Invalid({"entry_type": Problem(
            N_("Contestants are registered: the entry type can no longer change."))})
    if data.get("entry_type") == EntryType.INDIVIDUAL:
        data = {**data, "team_size": 1}
    with committing(TAKEN_CODE, "code"):
        if trade is None:
            trade = Trade(event=event)
            db.session.add(trade)
        _apply(trade, data, TRADE_FIELDS)
    return trade


def delete_trade(trade: Trade) -> None:
    if trade.status != TradeStatus.SETUP or _has_contestants(trade_id=trade.id):
        raise NotAllowed(Problem(
            N_("Only a trade still being set up, with nobody registered, can be deleted.")))
    with committing():
        db.session.delete(trade)


# --- marking schemes ---------------------------------------------------------------------------

def _editable_scheme(trade: Trade) -> None:
    if trade.status != TradeStatus.SETUP:
        raise NotAllowed(Problem(
            N_("The marking scheme is fixed once scoring has opened.")))


def save_criterion(trade: Trade, criterion: Criterion | None, data: dict) -> Criterion:
    _editable_scheme(trade)
    query = sa.select(Criterion.id).where(Criterion.trade_id == trade.id,
                                          sa.func.lower(Criterion.code) == data["code"].lower())
    if criterion is not None:
        query = query.where(Criterion.id != criterion.id)
    if db.session.scalar(query) is not None:
        raise Invalid({"code": Problem(N_("This code is already used in this trade."))})
    with committing(Problem(N_("This code is already used in this trade.")), "code"):
        if criterion is None:
            criterion = Criterion(trade=trade, position=len(trade.criteria))
            db.session.add(criterion)
        _apply(criterion, data, ("code", "name_zh", "name_en", "weight"))
    return criterion


def save_aspect(trade: Trade, aspect: Aspect | None, data: dict) -> Aspect:
    """Create or update an aspect; judgement aspects take marks 0-3 and no decimals."""
    _editable_scheme(trade)
    criterion = db.session.get(Criterion, data["criterion_id"])
    if criterion is None or criterion.trade_id != trade.id:
        raise Invalid({"criterion_id": Problem(N_("Choose a criterion of this trade."))})
    codes = sa.select(Aspect.id).join(Criterion).where(
        Criterion.trade_id == trade.id, sa.func.lower(Aspect.code) == data["code"].lower())
    if aspect is not None:
        codes = codes.where(Aspect.id != aspect.id)
    if db.session.scalar(codes) is not None:
        raise Invalid({"code": Problem(N_("This code is already used in this trade."))})
    if data["kind"] == AspectKind.JUDGEMENT:
        data = {**data, "decimals": 0}
    with committing(Problem(N_("This code is already used in this trade.")), "code"):
        if aspect is None:
            aspect = Aspect(position=len(criterion.aspects))
            db.session.add(aspect)
        aspect.criterion = criterion
        _apply(aspect, data, ("code", "description_zh", "description_en", "kind", "max_mark",
                              "aggregation", "trimmed_count", "decimals"))
    return aspect


def delete_scheme_part(trade: Trade, part: Criterion | Aspect) -> None:
    _editable_scheme(trade)
    with committing():
        db.session.delete(part)


def scheme_problems(trade: Trade) -> list[Problem]:
    """What is wrong with a trade's marking scheme (none for a usable one)."""
    if not trade.criteria:
        return [Problem(N_("The trade has no marking scheme."))]
    problems = [Problem(N_("Criterion %(code)s has no aspects."), {"code": c.code})
                for c in trade.criteria if not c.aspects]
    return problems + validate_scheme([c.spec() for c in trade.criteria if c.aspects])


# --- award rules -------------------------------------------------------------------------------

RULE_FIELDS = ("method", "labels", "quota_first", "quota_second", "quota_third", "ratio_first",
               "ratio_second", "ratio_third", "ratio_rounding", "tie_window", "excellence",
               "excellence_threshold", "minimum_score", "small_field", "titles")
SMALL_FIELD = [[6, 3], [5, 2], [4, 1]]


def event_rule(event: Event) -> AwardRule:
    rule = db.session.scalar(sa.select(AwardRule).where(AwardRule.event_id == event.id,
                                                        AwardRule.trade_id.is_(None)))
    if rule is None:  # events made before rules existed get the default on first look
        rule = AwardRule(event_id=event.id, trade_id=None)
        db.session.add(rule)
        db.session.flush()
    return rule


def trade_rule(trade: Trade) -> AwardRule | None:
    """The trade's own override, if it has one."""
    return db.session.scalar(sa.select(AwardRule).where(AwardRule.trade_id == trade.id))


def effective_rule(trade: Trade) -> AwardRule:
    return trade_rule(trade) or event_rule(trade.event)


def rule_form_data(form_data: dict) -> dict:
    """Turn the award rule form's data into the stored fields (percentages → fractions)."""
    data = {k: form_data[k] for k in RULE_FIELDS if k in form_data and k not in ("small_field", "titles")}
    for key in ("ratio_first", "ratio_second", "ratio_third"):
        data[key] = Decimal(data[key]) / 100
    data["small_field"] = SMALL_FIELD if form_data.get("small_field") else None
    data["titles"] = [
        {"name_zh": t["name_zh"], "name_en": t.get("name_en") or "", "up_to_place": t["up_to_place"]}
        for t in form_data.get("titles", []) if t.get("name_zh") and t.get("up_to_place")
    ]
    return data


def to_domain(rule: AwardRule) -> award_rules.AwardRule:
    """The stored rule as the results engine's rule."""
    return award_rules.AwardRule(
        method=award_rules.Method(rule.method),
        quotas=(rule.quota_first, rule.quota_second, rule.quota_third),
        ratios=(rule.ratio_first, rule.ratio_second, rule.ratio_third),
        ratio_rounding=rule.ratio_rounding,
        tie_window=rule.tie_window,
        excellence=None if rule.excellence == "none" else rule.excellence,
        excellence_threshold=rule.excellence_threshold,
        minimum_score=rule.minimum_score,
        small_field=tuple(tuple(pair) for pair in rule.small_field) if rule.small_field else None,
        titles=tuple(award_rules.TitleRule(t["name_zh"], int(t["up_to_place"]))
                     for t in rule.titles or ()),
        labels=rule.labels,
    )


def save_rule(event: Event, trade: Trade | None, data: dict) -> AwardRule:
    """Save the event's default rule (trade None) or a trade's override, if the engine accepts it."""
    record = (trade_rule(trade) if trade else event_rule(event)) or AwardRule(
        event_id=event.id, trade_id=trade.id)
    probe = AwardRule(**{k: data[k] for k in RULE_FIELDS})
    problems = award_rules.validate_rule(to_domain(probe))
    if problems:
        raise Invalid({None: problems[0]})
    with committing():
        _apply(record, data, RULE_FIELDS)
        db.session.add(record)
    return record


def drop_override(trade: Trade) -> None:
    if (rule := trade_rule(trade)) is not None:
        with committing():
            db.session.delete(rule)


# --- lists and the dashboard -------------------------------------------------------------------

def rule_as_form_data(rule: AwardRule) -> dict:
    """The stored rule as the award rule form shows it (fractions → percentages)."""
    data = {k: getattr(rule, k) for k in RULE_FIELDS}
    for key in ("ratio_first", "ratio_second", "ratio_third"):
        data[key] = (data[key] or Decimal(0)) * 100
    data["small_field"] = bool(rule.small_field)
    titles = list(rule.titles or [])
    data["titles"] = titles + [{}] * max(0, 2 - len(titles))
    return data


def delegation_rows(event: Event) -> list[tuple[Delegation, int]]:
    """Delegations with their number of judges."""
    judges = (sa.select(User.delegation_id, sa.func.count(User.id).label("n"))
              .where(User.event_id == event.id).group_by(User.delegation_id).subquery())
    rows = db.session.execute(
        sa.select(Delegation, sa.func.coalesce(judges.c.n, 0))
        .outerjoin(judges, judges.c.delegation_id == Delegation.id)
        .where(Delegation.event_id == event.id).order_by(Delegation.code))
    return [(d, n) for d, n in rows]


def categories(event: Event) -> list[str]:
    return list(db.session.scalars(sa.select(Trade.category).distinct()
                                   .where(Trade.event_id == event.id, Trade.category != "")
                                   .order_by(Trade.category)))


def trade_page(event: Event, filters: dict[str, str], page: int):
    """One page of the event's trades, filtered by text, category and kind."""
    query = sa.select(Trade).where(Trade.event_id == event.id).options(
        sa.orm.selectinload(Trade.criteria).selectinload(Criterion.aspects),
        sa.orm.selectinload(Trade.assignments))
    if q := filters.get("q"):
        like = f"%{q}%"
        query = query.where(sa.or_(Trade.code.ilike(like), Trade.name_zh.ilike(like),
                                   Trade.name_en.ilike(like)))
    if filters.get("category"):
        query = query.where(Trade.category == filters["category"])
    kind = filters.get("kind")
    if kind == "demonstration":
        query = query.where(Trade.is_demonstration.is_(True))
    elif kind in {e.value for e in EntryType}:
        query = query.where(Trade.entry_type == kind)
    return db.paginate(query.order_by(Trade.code), page=page, per_page=50, error_out=False)


def overview(event: Event) -> dict:
    """Counts for the dashboard and the checklist of what is missing."""
    trades = db.session.scalars(
        sa.select(Trade).where(Trade.event_id == event.id).options(
            sa.orm.selectinload(Trade.criteria).selectinload(Criterion.aspects),
            sa.orm.selectinload(Trade.assignments))).all()
    judge_count = db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.event_id == event.id, User.role.in_(["judge", "chief_judge"])))
    facts = EventFacts(
        delegations=len(event.delegations),
        has_dates=event.start_date is not None,
        trades=tuple(TradeFacts(
            code=t.code, has_scheme=bool(t.criteria),
            scheme_problems=len(scheme_problems(t)) if t.criteria else 0,
            judges=len(t.assignments), chief_judges=sum(a.is_chief for a in t.assignments),
        ) for t in trades),
    )
    return {
        "delegations": facts.delegations,
        "trades": len(trades),
        "demonstration": sum(t.is_demonstration for t in trades),
        "by_entry_type": {kind.value: sum(t.entry_type == kind for t in trades) for kind in EntryType},
        "judges": judge_count,
        "contestants": db.session.scalar(sa.select(sa.func.count(Contestant.id))
                                         .where(Contestant.event_id == event.id)),
        "missing": readiness(facts),
    }
