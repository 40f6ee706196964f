"""A trade's marking scheme as the judging services read it (criteria with aspects, in order)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from competition.extensions import db
from competition.models import Aspect, Criterion, Trade


def criteria(trade: Trade) -> list[Criterion]:
    """The trade's criteria in scheme order, each with its aspects (one query)."""
    return db.session.scalars(
        sa.select(Criterion).where(Criterion.trade_id == trade.id)
        .options(joinedload(Criterion.aspects)).order_by(Criterion.position, Criterion.id)
    ).unique().all()


def aspects(trade: Trade) -> list[Aspect]:
    """The trade's aspects in scheme order."""
    return [a for c in criteria(trade) for a in c.aspects]


def aspects_by_id(trade: Trade) -> dict[int, Aspect]:
    return {a.id: a for a in db.session.scalars(
        sa.select(Aspect).join(Criterion).where(Criterion.trade_id == trade.id))}
