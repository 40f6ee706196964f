"""Award rules: one event default, optionally overridden per trade."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.extensions import db
from competition.models.base import MARK

if TYPE_CHECKING:
    from competition.models.event import Event, Trade


class AwardRule(db.Model):
    """Stored form of :class:`competition.domain.awards.AwardRule` (see there for the rules)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    trade_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("trade.id", ondelete="CASCADE"), unique=True
    )
    method: Mapped[str] = mapped_column(sa.String(20), default="places")
    labels: Mapped[str] = mapped_column(sa.String(10), default="medals")
    quota_first: Mapped[int] = mapped_column(default=1)
    quota_second: Mapped[int] = mapped_column(default=1)
    quota_third: Mapped[int] = mapped_column(default=1)
    ratio_first: Mapped[Decimal] = mapped_column(MARK, default=Decimal("0.1"))
    ratio_second: Mapped[Decimal] = mapped_column(MARK, default=Decimal("0.2"))
    ratio_third: Mapped[Decimal] = mapped_column(MARK, default=Decimal("0.3"))
    ratio_rounding: Mapped[str] = mapped_column(sa.String(10), default="half_up")
    tie_window: Mapped[Decimal] = mapped_column(MARK, default=Decimal(2))
    excellence: Mapped[str] = mapped_column(sa.String(10), default="none")
    excellence_threshold: Mapped[Decimal | None] = mapped_column(MARK)
    minimum_score: Mapped[Decimal | None] = mapped_column(MARK)
    small_field: Mapped[list | None] = mapped_column(sa.JSON)
    titles: Mapped[list] = mapped_column(sa.JSON, default=list)

    event: Mapped[Event] = relationship(back_populates="award_rules")
    trade: Mapped[Trade | None] = relationship()

    __table_args__ = (
        sa.Index("uq_award_rule_event_default", "event_id", unique=True,
                 sqlite_where=sa.text("trade_id IS NULL"),
                 postgresql_where=sa.text("trade_id IS NULL")),
        sa.CheckConstraint("method IN ('places', 'quotas', 'ratios', 'tie_window')",
                           name="method_known"),
        sa.CheckConstraint("labels IN ('medals', 'prizes')", name="labels_known"),
        sa.CheckConstraint("excellence IN ('none', 'top_half', 'threshold')", name="excellence_known"),
        sa.CheckConstraint("quota_first >= 0 AND quota_second >= 0 AND quota_third >= 0",
                           name="quotas_not_negative"),
    )
