"""Setting up an event: the event itself, its delegations and trades, the lists of them and the
dashboard's checklist."""

from __future__ import annotations

import sqlalchemy as sa

from competition.domain.entrants import EntryType
from competition.domain.messages import N_, Problem
from competition.domain.panel import MIN_PANEL
from competition.domain.readiness import EventFacts, TradeFacts, readiness
from competition.domain.roles import SCORING
from competition.domain.trade_state import delete_problem
from competition.extensions import db
from competition.models import AwardRule, Contestant, Criterion, Delegation, Event, Trade, User
from competition.services.errors import Invalid, NotAllowed, committing
from competition.services.setup.common import (
    TAKEN_CODE,
    apply,
    check_code_and_name,
    has_contestants,
    is_published,
)
from competition.services.setup.schemes import scheme_problems

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
        apply(event, data, EVENT_FIELDS)
    return event


# --- delegations -------------------------------------------------------------------------------

def save_delegation(event: Event, delegation: Delegation | None, data: dict) -> Delegation:
    check_code_and_name(Delegation, event, data, delegation.id if delegation else None)
    with committing(TAKEN_CODE, "code"):
        if delegation is None:
            delegation = Delegation(event=event)
            db.session.add(delegation)
        apply(delegation, data, ("code", "name_zh", "name_en"))
    return delegation


def delete_delegation(delegation: Delegation) -> None:
    """Remove a delegation nobody belongs to yet."""
    judges = db.session.scalar(sa.select(sa.func.count(User.id))
                               .where(User.delegation_id == delegation.id))
    if judges or has_contestants(delegation_id=delegation.id):
        raise NotAllowed(Problem(N_("This delegation still has judges or contestants.")))
    with committing():
        db.session.delete(delegation)


# --- trades ------------------------------------------------------------------------------------

TRADE_FIELDS = ("code", "name_zh", "name_en", "category", "entry_type", "team_size",
                "is_demonstration", "quota_per_delegation", "uses_anonymous_codes",
                "judgement_threshold", "confirm_measurements")


def find_trade(event: Event, code: str) -> Trade | None:
    """The event's trade with this code, if there is one."""
    return db.session.scalar(sa.select(Trade).where(Trade.event_id == event.id, Trade.code == code))


def save_trade(event: Event, trade: Trade | None, data: dict) -> Trade:
    """Create or update a trade; its entry type can change only while nobody is registered, its
    code only until its results are published (the code is in their public address).

    A published trade's names and demonstration flag may change here, but the public keeps
    seeing them as published (they are frozen with the published version) until an amendment,
    with its reason, publishes the change; the organizer's pages say so."""
    check_code_and_name(Trade, event, data, trade.id if trade else None)
    if trade is not None and data.get("entry_type") != trade.entry_type and \
            has_contestants(trade_id=trade.id):
        raise Invalid({"entry_type": Problem(
            N_("Contestants are registered: the entry type can no longer change."))})
    if trade is not None and data.get("code", trade.code) != trade.code and \
            is_published(trade.id):
        raise Invalid({"code": Problem(
            N_("The results of this trade are published under this code (it is in their public "
               "address): the code can no longer change."))})
    if data.get("entry_type") == EntryType.INDIVIDUAL:
        data = {**data, "team_size": 1}
    with committing(TAKEN_CODE, "code"):
        if trade is None:
            trade = Trade(event=event)
            db.session.add(trade)
        apply(trade, data, TRADE_FIELDS)
    return trade


def delete_trade(trade: Trade) -> None:
    if problem := delete_problem(trade.status, has_contestants(trade_id=trade.id)):
        raise NotAllowed(problem)
    with committing():
        db.session.delete(trade)


# --- lists and the dashboard -------------------------------------------------------------------

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
        User.event_id == event.id, User.role.in_(SCORING)))
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
        "missing": readiness(facts, min_judges=MIN_PANEL),
    }
