"""Reading published results: a trade's versions, what the public sees of a trade or a
delegation, where every trade stands, and the latest published version of each trade.

Public readers go through :func:`public_trade` and friends, which answer nothing under embargo;
organizers and exports read :func:`published` and :func:`latest_published` whatever the embargo.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from competition.extensions import db
from competition.models import AwardRule, Delegation, Event, ResultLine, ResultVersion, Trade
from competition.services import setup
from competition.services.results.cache import cached
from competition.services.results.lines import (
    Amendment,
    Line,
    PublishedTrade,
    TradeState,
    criteria_heads,
    line_from_row,
)


def versions(trade: Trade) -> list[ResultVersion]:
    """Every published version of the trade, oldest first (lines not loaded)."""
    return list(db.session.scalars(
        sa.select(ResultVersion).where(ResultVersion.trade_id == trade.id)
        .options(joinedload(ResultVersion.published_by)).order_by(ResultVersion.number)))


def published(trade: Trade, number: int | None = None) -> PublishedTrade | None:
    """A published version of the trade (default the latest), whatever the embargo; None when
    the trade was never published. For organizers and exports; the public goes through
    :func:`public_trade`."""
    history = versions(trade)
    if not history:
        return None
    chosen = history[-1] if number is None else next((v for v in history if v.number == number),
                                                     None)
    if chosen is None:
        return None
    rows = db.session.scalars(sa.select(ResultLine).where(ResultLine.version_id == chosen.id)
                              .order_by(ResultLine.position))
    return PublishedTrade(
        trade_id=trade.id, version=chosen.number, published_at=chosen.published_at,
        first_published_at=history[0].published_at,
        amendments=tuple(Amendment(v.number, v.published_at, v.reason)
                         for v in history[1:chosen.number]),
        scaling=chosen.scaling, labels=chosen.labels,
        criteria=criteria_heads(chosen.criteria),
        lines=tuple(line_from_row(row) for row in rows),
        name_zh=chosen.trade_name_zh, name_en=chosen.trade_name_en,
        demonstration=chosen.is_demonstration)


def is_public(event: Event) -> bool:
    """Published results of the event are public: no embargo holds them back."""
    return not event.results_embargoed


def public_trade(event: Event, trade: Trade) -> PublishedTrade | None:
    """What the public sees of the trade: its latest published version, or None when the trade
    is unpublished or the event's results are under embargo."""
    if trade.event_id != event.id or not is_public(event):
        return None
    return cached(event, ("trade", trade.id), lambda: published(trade))


def _latest_numbers(event: Event) -> sa.Select:
    return (sa.select(ResultVersion.trade_id, sa.func.max(ResultVersion.number).label("number"))
            .where(ResultVersion.event_id == event.id).group_by(ResultVersion.trade_id))


def trade_states(event: Event, trades: Iterable[Trade] | None = None) -> list[TradeState]:
    """Every trade of the event (or those given) with its number of published versions, its
    dates and its public facts (as its latest version published them, once it is published),
    in two queries."""
    if trades is None:
        trades = db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)
                                    .order_by(Trade.code)).all()
    found: dict[int, tuple] = {}
    for trade_id, number, when, zh, en, demonstration in db.session.execute(
            sa.select(ResultVersion.trade_id, ResultVersion.number, ResultVersion.published_at,
                      ResultVersion.trade_name_zh, ResultVersion.trade_name_en,
                      ResultVersion.is_demonstration)
            .where(ResultVersion.event_id == event.id).order_by(ResultVersion.number)):
        first = found[trade_id][2] if trade_id in found else when
        # oldest first: the latest version's date and facts are the last ones seen
        found[trade_id] = (number, when, first, zh, en, demonstration)
    return [TradeState(t, *found.get(t.id, (0, None, None, t.name_zh, t.name_en,
                                            t.is_demonstration)))
            for t in trades]


def public_delegation(event: Event, delegation: Delegation) -> list[tuple[Trade, PublishedTrade,
                                                                            Line]]:
    """The delegation's entrants in the public results, trade by trade: (trade, its published
    version, the entrant's line). Empty under embargo or before any publication."""
    if not is_public(event) or delegation.event_id != event.id:
        return []
    found = []
    for state in trade_states(event):
        if not state.published:
            continue
        version = public_trade(event, state.trade)
        if version is None:
            continue
        found.extend((state.trade, version, line) for line in version.lines
                     if line.delegation_id == delegation.id)
    return found


def latest_public(event: Event, limit: int) -> list[tuple[Trade, PublishedTrade]]:
    """The most recently published trades (latest version first), for the live board."""
    if not is_public(event):
        return []
    states = [s for s in trade_states(event) if s.published]
    states.sort(key=lambda s: (s.published_at, s.trade.code), reverse=True)
    found = []
    for state in states[:limit]:
        version = public_trade(event, state.trade)
        if version is not None:
            found.append((state.trade, version))
    return found


def latest_published(event: Event, trade_ids: Sequence[int] | None = None
                     ) -> dict[int, tuple[ResultVersion, list[ResultLine]]]:
    """The latest published version of each trade of the event (or of ``trade_ids``) with its
    lines in published order, in two queries: {trade id: (version, lines)}."""
    latest = _latest_numbers(event)
    if trade_ids is not None:
        latest = latest.where(ResultVersion.trade_id.in_(list(trade_ids)))
    latest = latest.subquery()
    versions = {v.id: v for v in db.session.scalars(
        sa.select(ResultVersion).join(latest, sa.and_(latest.c.trade_id == ResultVersion.trade_id,
                                                      latest.c.number == ResultVersion.number)))}
    lines: dict[int, list[ResultLine]] = {version_id: [] for version_id in versions}
    if versions:
        for row in db.session.scalars(
                sa.select(ResultLine).where(ResultLine.version_id.in_(list(versions)))
                .order_by(ResultLine.version_id, ResultLine.position)):
            lines[row.version_id].append(row)
    return {v.trade_id: (v, lines[v.id]) for v in versions.values()}


def unpublished_facts(trade: Trade) -> list[str]:
    """What the trade's set-up now says differently from its latest published version, of
    what the public is shown: "names", "demonstration" (whether it counts in the medal table),
    "award names" (medals or prizes). The public keeps the published facts until an amendment
    publishes the new ones. Empty for a trade never published."""
    latest = db.session.scalar(sa.select(ResultVersion).where(ResultVersion.trade_id == trade.id)
                               .order_by(ResultVersion.number.desc()).limit(1))
    if latest is None:
        return []
    changed = []
    if (latest.trade_name_zh, latest.trade_name_en) != (trade.name_zh, trade.name_en or ""):
        changed.append("names")
    if latest.is_demonstration != trade.is_demonstration:
        changed.append("demonstration")
    if latest.labels != setup.effective_rule(trade).labels:
        changed.append("award names")
    return changed


def published_under_rule(event: Event, trade: Trade | None) -> int:
    """How many published trades follow the award rule of ``trade`` (its own rule), or, for
    ``trade`` None, the event's rule: their public results keep the awards as published until
    each is amended."""
    query = sa.select(sa.func.count(sa.distinct(ResultVersion.trade_id))).where(
        ResultVersion.event_id == event.id)
    if trade is not None:
        query = query.where(ResultVersion.trade_id == trade.id)
    else:
        own_rules = sa.select(AwardRule.trade_id).where(AwardRule.event_id == event.id,
                                                        AwardRule.trade_id.is_not(None))
        query = query.where(ResultVersion.trade_id.not_in(own_rules))
    return db.session.scalar(query) or 0
