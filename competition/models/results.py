"""Published results: per trade, a sequence of frozen versions (1, 2, ... — amendments after 1).

Public pages, the API, the medal table and certificates read these rows only, never live marks
or live set-up: a version holds every entrant's place, scores, award and the display data (names,
numbers, delegation) and the trade's public facts (its names, whether it is a demonstration
trade, how its awards and the event's medal table name them) exactly as they were published. A
later change of the trade or of an award rule reaches the public only with an amendment.
Versions are never changed or deleted, so an amended result keeps its history and the awards of
any earlier version can still be compared (certificates of a changed award are revoked and
reissued).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.extensions import db
from competition.models.base import MARK, utcnow

if TYPE_CHECKING:
    from competition.models.event import Delegation, Trade
    from competition.models.people import User


class ResultVersion(db.Model):
    """One publication of a trade's results. Number 1 is the first publication; every later
    number is an amendment and carries its reason."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    trade_id: Mapped[int] = mapped_column(sa.ForeignKey("trade.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    is_amendment: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(sa.String(500), default="")
    published_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"))
    scaling: Mapped[str] = mapped_column(sa.String(20), default="raw")
    # How this trade's awards are named ("medals" or "prizes", its effective award rule's), and
    # how the event's medal table names its columns (the event's award rule's), when published.
    labels: Mapped[str] = mapped_column(sa.String(10), default="medals")
    medal_labels: Mapped[str] = mapped_column(sa.String(10), default="medals",
                                              server_default="medals")
    # The trade as the public was shown it: its names, and whether it is a demonstration trade
    # (not counted in the medal table).
    trade_name_zh: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    trade_name_en: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    is_demonstration: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The marking scheme's criteria as published: [{"id", "code", "name_zh", "name_en"}].
    criteria: Mapped[list] = mapped_column(sa.JSON, default=list)

    trade: Mapped[Trade] = relationship()
    published_by: Mapped[User | None] = relationship()
    lines: Mapped[list[ResultLine]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="ResultLine.position")

    __table_args__ = (
        sa.UniqueConstraint("trade_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint("(number = 1) = (NOT is_amendment)", name="amendment_after_first"),
        sa.CheckConstraint("NOT is_amendment OR reason <> ''", name="amendment_has_reason"),
        sa.Index("ix_result_version_event_trade_number", "event_id", "trade_id", "number"),
    )


class ResultLine(db.Model):
    """One entrant's published result, frozen with what the public sees of it.

    ``members``: [{"contestant_id", "name", "number"}] (one for an individual, each member of a
    team); ``titles``: [{"zh", "en"}]; ``criteria``: {criterion id: mark as text}. ``score`` is
    the final (scaled) score that was ranked, equal to ``total`` for raw scaling.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("result_version.id", ondelete="CASCADE"), index=True)
    entrant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("entrant.id", ondelete="SET NULL"), index=True)
    delegation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delegation.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int]
    place: Mapped[int | None]
    tied: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(20))
    total: Mapped[Decimal | None] = mapped_column(MARK)
    score: Mapped[Decimal | None] = mapped_column(MARK)
    tier: Mapped[int | None]
    excellence: Mapped[bool] = mapped_column(default=False)
    titles: Mapped[list] = mapped_column(sa.JSON, default=list)
    criteria: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    number: Mapped[str] = mapped_column(sa.String(200), default="")
    name: Mapped[str] = mapped_column(sa.String(300))
    members: Mapped[list] = mapped_column(sa.JSON, default=list)
    delegation_code: Mapped[str] = mapped_column(sa.String(20))
    delegation_name_zh: Mapped[str] = mapped_column(sa.String(100))
    delegation_name_en: Mapped[str] = mapped_column(sa.String(100), default="")

    version: Mapped[ResultVersion] = relationship(back_populates="lines")
    delegation: Mapped[Delegation] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("version_id", "position"),
        sa.CheckConstraint("place IS NULL OR place >= 1", name="place_positive"),
        sa.CheckConstraint("tier IS NULL OR tier BETWEEN 1 AND 3", name="tier_known"),
        sa.CheckConstraint("tier IS NULL OR NOT excellence", name="excellence_without_tier"),
    )
