"""Provisional results: a trade's places and awards computed from its marks now. Organizers,
supervisors and the trade's chief judge see them; the public never does."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from competition.domain.awards import decide_awards
from competition.domain.blind import sees_identity
from competition.domain.entrants import competes
from competition.domain.messages import N_, Problem
from competition.domain.ranking import EntrantScore, rank
from competition.domain.scaling import Scaling, apply_scaling
from competition.domain.tie_breaks import TieFacts, parse_chain, resolve
from competition.extensions import db
from competition.models import Criterion, Entrant, Trade, User
from competition.services import judging, setup
from competition.services.authority import can_oversee
from competition.services.errors import NotAllowed
from competition.services.results.lines import CriterionHead, Line, Member, Title, TradeResults


def can_see_provisional(user: User, trade: Trade) -> bool:
    """Organizers and supervisors of the event, and the trade's chief judge."""
    return can_oversee(user, trade)


def _criteria(trade: Trade) -> tuple[CriterionHead, ...]:
    rows = db.session.scalars(sa.select(Criterion).where(Criterion.trade_id == trade.id)
                              .order_by(Criterion.position, Criterion.id))
    return tuple(CriterionHead(c.id, c.code, c.name_zh, c.name_en) for c in rows)


def _members(entrant: Entrant) -> tuple[Member, ...]:
    return tuple(Member(m.id, m.name, m.competitor_number) for m in entrant.members)


def compute(trade: Trade) -> TradeResults:
    """The trade's provisional results from its marks now.

    Final score: the trade total, scaled by the trade's scaling (else the event's) over the
    entrants that compete (status registered, with marks). Entrants with no mark at all and
    withdrawn, absent or disqualified entrants are listed unranked. Ranking follows the trade's
    tie-break chain; awards follow the effective award rule (the trade's override, else the
    event's). Titles are named in both languages as the rule names them.
    """
    event = trade.event
    criteria = _criteria(trade)
    totals = judging.trade_totals(trade)
    entrants = db.session.scalars(
        sa.select(Entrant).where(Entrant.trade_id == trade.id)
        .options(selectinload(Entrant.members), joinedload(Entrant.delegation))).all()
    marked = {entrant_id: total for entrant_id, total in totals.items()
              if any(mark is not None for mark in total.aspects.values())}
    competing = {e.id: marked[e.id].total for e in entrants
                 if e.id in marked and competes(e.status)}
    scaling = Scaling(trade.scaling or event.scaling or Scaling.RAW)
    scores = apply_scaling(scaling, competing)

    code_of = {c.id: c.code for c in criteria}
    chain, tie_values = resolve(parse_chain(trade.tie_breaks), {
        e.id: TieFacts(criteria={code_of[c]: mark for c, mark in marked[e.id].criteria.items()
                                 if c in code_of})
        for e in entrants if e.id in marked})
    ranked = rank(
        (EntrantScore(e.id, scores.get(e.id) if e.id in marked else None, str(e.status.value),
                      tie_values.get(e.id, {}))
         for e in entrants), chain)

    stored_rule = setup.effective_rule(trade)
    awards = decide_awards(ranked, setup.to_domain(stored_rule))
    english = {t["name_zh"]: t.get("name_en") or "" for t in stored_rule.titles or ()}
    by_id = {e.id: e for e in entrants}
    lines = []
    for place in ranked:
        entrant = by_id[place.entrant_id]
        total = marked.get(entrant.id)
        award = awards[entrant.id]
        lines.append(Line(
            entrant_id=entrant.id, place=place.place, tied=place.tied, status=place.status,
            total=total.total if total else None, score=place.total if place.place else None,
            tier=int(award.tier) if award.tier else None, excellence=award.excellence,
            titles=tuple(Title(name, english.get(name, "")) for name in award.titles),
            criteria=dict(total.criteria) if total else {},
            number="/".join(m.competitor_number for m in entrant.members),
            name=entrant.display_name(), members=_members(entrant),
            delegation_id=entrant.delegation_id, delegation_code=entrant.delegation.code,
            delegation_name_zh=entrant.delegation.name_zh,
            delegation_name_en=entrant.delegation.name_en,
            complete=total.complete if total else False, anonymous_code=entrant.anonymous_code))
    return TradeResults(trade.id, scaling.value, stored_rule.labels, criteria, tuple(lines))


def provisional(trade: Trade, viewer: User) -> TradeResults:
    """:func:`compute` as ``viewer`` may see it: under blind judging, until the codes are
    revealed, a judge (the chief judge too) sees each entrant's anonymous code instead of its
    name, number and delegation. NotAllowed for anyone but organizers, supervisors and the
    trade's chief judge."""
    if not can_see_provisional(viewer, trade):
        raise NotAllowed(Problem(N_("Only organizers, supervisors and the trade's chief judge "
                                    "see provisional results.")))
    computed = compute(trade)
    if sees_identity(viewer.role, trade.uses_anonymous_codes, trade.codes_revealed):
        return computed
    hidden = tuple(replace(line, name=line.anonymous_code or "?", number="", members=(),
                           delegation_code="", delegation_name_zh="", delegation_name_en="")
                   for line in computed.lines)
    return replace(computed, lines=hidden)


