"""The medal table of an event, from the latest published versions of its trades (the rule is
``competition.domain.medal_table``). Whether a trade counts (not a demonstration trade) and how the
table names its columns are read from the published versions, never from the set-up as it is
now: a change there reaches the table only with an amendment or a publication."""

from __future__ import annotations

import sqlalchemy as sa

from competition.domain import medal_table as medals
from competition.domain.awards import Tier
from competition.extensions import db
from competition.models import Delegation, Event, ResultLine, ResultVersion
from competition.services import setup
from competition.services.results.cache import cached
from competition.services.results.lines import MedalLine
from competition.services.results.published import is_public


def _latest_versions(event: Event) -> sa.Subquery:
    return (sa.select(ResultVersion.trade_id, sa.func.max(ResultVersion.number).label("number"))
            .where(ResultVersion.event_id == event.id).group_by(ResultVersion.trade_id).subquery())


def _award_lines(event: Event) -> list[medals.AwardLine]:
    """One line per awarded entrant of the latest published version of every trade that version
    published as a competition trade (not a demonstration); titles are not lines."""
    latest = _latest_versions(event)
    rows = db.session.execute(
        sa.select(ResultLine.delegation_id, ResultLine.tier, ResultLine.excellence)
        .join(ResultVersion, ResultVersion.id == ResultLine.version_id)
        .join(latest, sa.and_(latest.c.trade_id == ResultVersion.trade_id,
                              latest.c.number == ResultVersion.number))
        .where(ResultVersion.is_demonstration.is_(False),
               sa.or_(ResultLine.tier.is_not(None), ResultLine.excellence.is_(True))))
    return [medals.AwardLine(delegation_id, Tier(tier) if tier else None, bool(excellence))
            for delegation_id, tier, excellence in rows]


def medal_table(event: Event, order: str | None = None) -> list[MedalLine]:
    """The event's medal table from the latest published versions of its non-demonstration
    trades, in ``order`` (gold, total or points; default the event's), whatever the embargo:
    organizers see it before the release, the public through :func:`public_medal_table`."""
    order = medals.Order(order or event.medal_order or medals.Order.GOLD)
    lines = cached(event, ("award-lines",), lambda: _award_lines(event))
    delegations = {d.id: d for d in db.session.scalars(
        sa.select(Delegation).where(Delegation.event_id == event.id))}
    table = medals.medal_table({i: d.name_zh for i, d in delegations.items()}, lines, order)
    return [MedalLine(row.rank, row.delegation_id, delegations[row.delegation_id].code,
                      row.name, delegations[row.delegation_id].name_en, row.gold, row.silver,
                      row.bronze, row.excellence, row.total, row.points) for row in table]


def public_medal_table(event: Event, order: str | None = None) -> list[MedalLine] | None:
    """The medal table the public sees; None under embargo."""
    return medal_table(event, order) if is_public(event) else None


def _published_medal_labels(event: Event) -> str | None:
    return db.session.scalar(sa.select(ResultVersion.medal_labels)
                             .where(ResultVersion.event_id == event.id)
                             .order_by(ResultVersion.id.desc()).limit(1))


def medal_labels(event: Event) -> str:
    """How the medal table names its columns: "medals" or "prizes", as the event's award rule
    said when the latest version was published; before any publication, as it says now."""
    published = cached(event, ("medal-labels",), lambda: _published_medal_labels(event))
    return published or setup.event_rule(event).labels
