"""Reading published results: a trade's versions, what the public sees of a trade or a
delegation, where every trade stands, and the latest published version of each trade.

Public readers go through :func:`public_trade` and friends, which answer nothing under embargo;
organizers and exports read :func:`published` and :func:`latest_published` whatever the embargo.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from competition.domain.awards import Award
from competition.domain.publication import award_changes
from competition.extensions import db
from competition.models import Delegation, Event, ResultLine, ResultVersion, Trade
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
        lines=tuple(line_from_row(row) for row in rows))


def changed_awards(trade: Trade, before: int, after: int) -> dict[int, tuple[Award, Award]]:
    """Entrants whose award differs between two published versions (for reissuing certificates)."""
    def awards(number: int) -> dict[int, Award]:
        version = published(trade, number)
        return {line.entrant_id: line.award for line in version.lines if line.entrant_id} \
            if version else {}
    return award_changes(awards(before), awards(after))


def is_public(event: Event) -> bool:
    """Published results of the event are public: no embargo holds them back."""
    return not event.results_embargoed


def public_trade(event: Event, trade: Trade) -> PublishedTrade | None:
    """What the public sees of the trade: its latest published version, or None when the trade
    is unpublished or the event's results are under embargo."""
    if trade.event_id != event.id or not is_public(event):
        return None
    return cached(event, ("trade", trade.id), lambda: published(trade))


def trade_states(event: Event, trades: Iterable[Trade] | None = None) -> list[TradeState]:
    """Every trade of the event (or those given) with its number of published versions and
    dates, in two queries."""
    if trades is None:
        trades = db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)
                                    .order_by(Trade.code)).all()
    found = {trade_id: (count, last, first) for trade_id, count, last, first in db.session.execute(
        sa.select(ResultVersion.trade_id, sa.func.count(ResultVersion.id),
                  sa.func.max(ResultVersion.published_at), sa.func.min(ResultVersion.published_at))
        .where(ResultVersion.event_id == event.id).group_by(ResultVersion.trade_id))}
    return [TradeState(t, *found.get(t.id, (0, None, None))) for t in trades]


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
    latest = (sa.select(ResultVersion.trade_id, sa.func.max(ResultVersion.number).label("number"))
              .where(ResultVersion.event_id == event.id).group_by(ResultVersion.trade_id))
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
