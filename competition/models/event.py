"""Event, Delegation and Trade: what a competition is made of."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.domain.aggregation import scheme_max_total
from competition.domain.entrants import EntryType
from competition.domain.names import Bilingual
from competition.domain.trade_state import TradeStatus
from competition.extensions import db
from competition.models.base import MARK, enum_column, utcnow

if TYPE_CHECKING:
    from competition.models.awards import AwardRule
    from competition.models.marking import Criterion
    from competition.models.people import JudgeAssignment


__all__ = ["Delegation", "EntryType", "Event", "Trade", "TradeStatus", "new_stamp"]


def new_stamp() -> str:
    """A random results stamp (128 bits in hex): it never repeats."""
    return secrets.token_hex(16)


class Event(Bilingual, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name_zh: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200), default="")
    organizer_name: Mapped[str] = mapped_column(sa.String(200), default="")
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]
    scaling: Mapped[str] = mapped_column(sa.String(20), default="raw")
    medal_order: Mapped[str] = mapped_column(sa.String(10), default="gold")
    # Publication (services/results): an embargo hides every result until it is released
    # (closing ceremony); criterion marks go public only when the organizer allows. Every change
    # of public results bumps results_version and draws a new random results_stamp, in its own
    # transaction: cache keys and ETags are built on the stamp, which never repeats (not even
    # after the database is restored from a backup while a shared cache still holds entries
    # made since) and tells nothing about how many changes there were.
    results_embargoed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    results_released_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    criterion_marks_public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    results_version: Mapped[int] = mapped_column(default=0, server_default="0")
    results_stamp: Mapped[str] = mapped_column(sa.String(32), default=new_stamp,
                                               server_default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    delegations: Mapped[list[Delegation]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Delegation.code"
    )
    trades: Mapped[list[Trade]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Trade.code"
    )
    award_rules: Mapped[list[AwardRule]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date",
                           name="dates_in_order"),
    )


class Delegation(Bilingual, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(20))
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100), default="")

    event: Mapped[Event] = relationship(back_populates="delegations")

    __table_args__ = (
        sa.UniqueConstraint("event_id", "code"),
        sa.UniqueConstraint("event_id", "name_zh"),
    )


class Trade(Bilingual, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(20))
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100), default="")
    category: Mapped[str] = mapped_column(sa.String(50), default="")
    entry_type: Mapped[EntryType] = mapped_column(enum_column(EntryType), default=EntryType.INDIVIDUAL)
    team_size: Mapped[int] = mapped_column(default=1)
    is_demonstration: Mapped[bool] = mapped_column(default=False)
    quota_per_delegation: Mapped[int | None]
    status: Mapped[TradeStatus] = mapped_column(enum_column(TradeStatus), default=TradeStatus.SETUP)
    uses_anonymous_codes: Mapped[bool] = mapped_column(default=False)
    codes_revealed: Mapped[bool] = mapped_column(default=False)
    judgement_threshold: Mapped[Decimal] = mapped_column(MARK, default=Decimal(1))
    confirm_measurements: Mapped[bool] = mapped_column(default=False)
    tie_breaks: Mapped[list] = mapped_column(sa.JSON, default=list)
    scaling: Mapped[str | None] = mapped_column(sa.String(20))

    event: Mapped[Event] = relationship(back_populates="trades")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="trade", cascade="all, delete-orphan", order_by="Criterion.position"
    )
    assignments: Mapped[list[JudgeAssignment]] = relationship(
        back_populates="trade", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.UniqueConstraint("event_id", "code"),
        sa.UniqueConstraint("event_id", "name_zh"),
        sa.CheckConstraint("team_size >= 1 AND team_size <= 20", name="team_size_range"),
        sa.CheckConstraint(
            "(entry_type = 'individual' AND team_size = 1)"
            " OR (entry_type = 'pair' AND team_size = 2)"
            " OR (entry_type = 'team' AND team_size >= 2)",
            name="team_size_matches_entry_type",
        ),
        sa.CheckConstraint("quota_per_delegation IS NULL OR quota_per_delegation >= 1",
                           name="quota_positive"),
    )

    @property
    def max_total(self) -> Decimal | None:
        """The highest total the marking scheme allows (the sum of the weights when the
        criteria are weighted); None while weights are set on some criteria only."""
        try:
            return scheme_max_total([c.spec() for c in self.criteria])
        except ValueError:
            return None
