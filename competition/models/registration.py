"""Who competes: contestants and the entrants that are ranked (a contestant, or a team)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.domain.entrants import EntrantStatus
from competition.domain.idcard import IdType
from competition.extensions import db
from competition.models.base import enum_column, utcnow

if TYPE_CHECKING:
    from competition.models.event import Delegation, Trade
    from competition.models.people import User


__all__ = ["Conflict", "Contestant", "Draw", "Entrant", "EntrantStatus"]


class Entrant(db.Model):
    """What is ranked: one contestant in an individual trade, a team (团队) in a pair or team
    trade. The draw number, the anonymous code and the status belong here."""

    id: Mapped[int] = mapped_column(primary_key=True)
    trade_id: Mapped[int] = mapped_column(sa.ForeignKey("trade.id", ondelete="CASCADE"), index=True)
    delegation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delegation.id", ondelete="RESTRICT"), index=True
    )
    team_name: Mapped[str | None] = mapped_column(sa.String(100))
    draw_number: Mapped[int | None]
    anonymous_code: Mapped[str | None] = mapped_column(sa.String(20))
    status: Mapped[EntrantStatus] = mapped_column(enum_column(EntrantStatus),
                                                  default=EntrantStatus.REGISTERED)
    status_reason: Mapped[str] = mapped_column(sa.String(300), default="")

    trade: Mapped[Trade] = relationship()
    delegation: Mapped[Delegation] = relationship()
    members: Mapped[list[Contestant]] = relationship(
        back_populates="entrant", order_by="Contestant.id"
    )

    __table_args__ = (
        sa.UniqueConstraint("trade_id", "draw_number"),
        sa.UniqueConstraint("trade_id", "anonymous_code"),
        sa.UniqueConstraint("trade_id", "delegation_id", "team_name"),
    )

    @property
    def is_active(self) -> bool:
        return self.status == EntrantStatus.REGISTERED

    def display_name(self) -> str:
        """The team's name, or the contestant's; members joined with 、 for an unnamed team."""
        if self.team_name:
            return self.team_name
        return "、".join(m.name for m in self.members)


class Contestant(db.Model):
    """A person registered in one trade for one delegation (选手)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    trade_id: Mapped[int] = mapped_column(sa.ForeignKey("trade.id", ondelete="CASCADE"), index=True)
    delegation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("delegation.id", ondelete="RESTRICT"), index=True
    )
    entrant_id: Mapped[int] = mapped_column(sa.ForeignKey("entrant.id", ondelete="RESTRICT"),
                                            index=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    gender: Mapped[str] = mapped_column(sa.String(1))
    id_type: Mapped[IdType] = mapped_column(enum_column(IdType), default=IdType.RESIDENT)
    id_number: Mapped[str] = mapped_column(sa.String(30))
    birth_date: Mapped[date | None]
    employer: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    competitor_number: Mapped[str] = mapped_column(sa.String(20))
    remarks: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)

    trade: Mapped[Trade] = relationship()
    delegation: Mapped[Delegation] = relationship()
    entrant: Mapped[Entrant] = relationship(back_populates="members")

    __table_args__ = (
        sa.UniqueConstraint("trade_id", "id_number"),
        sa.UniqueConstraint("event_id", "competitor_number"),
        sa.CheckConstraint("gender IN ('M', 'F')", name="gender_known"),
        sa.Index("ix_contestant_event_name", "event_id", "name"),
    )

    @property
    def status(self) -> EntrantStatus:
        return self.entrant.status


class Conflict(db.Model):
    """A declared conflict of interest: the judge must not score this contestant, or anyone of
    this delegation (besides their own delegation, which is always a conflict)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    contestant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contestant.id", ondelete="CASCADE"), index=True)
    delegation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("delegation.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(300), default="")

    user: Mapped[User] = relationship()
    contestant: Mapped[Contestant | None] = relationship()
    delegation: Mapped[Delegation | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("(contestant_id IS NULL) <> (delegation_id IS NULL)",
                           name="one_target"),
        sa.UniqueConstraint("user_id", "contestant_id"),
        sa.UniqueConstraint("user_id", "delegation_id"),
    )


class Draw(db.Model):
    """A recorded draw of numbers or codes for a trade: the seed lets anyone audit it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    trade_id: Mapped[int] = mapped_column(sa.ForeignKey("trade.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    seed: Mapped[str] = mapped_column(sa.String(64))
    entrant_ids: Mapped[list] = mapped_column(sa.JSON)
    result: Mapped[dict] = mapped_column(sa.JSON)
    drawn_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    drawn_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    drawn_by: Mapped[User | None] = relationship()

    __table_args__ = (sa.CheckConstraint("kind IN ('numbers', 'codes')", name="kind_known"),)
