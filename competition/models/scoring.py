"""Marks and their history: one Score per judge × entrant × aspect, and the audit log.

A score carries a ``version`` for optimistic concurrency: every change is written as
``UPDATE ... WHERE version = :loaded`` and bumps it, so a sheet saved over a cell somebody else
changed since it was loaded is refused as a conflict instead of overwriting unseen. Every insert,
change and deletion of a score, and every state change of a trade (open, sign-off, unlock),
writes an :class:`AuditEntry` in the same transaction.
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.extensions import db
from competition.models.base import MARK, enum_column, utcnow

if TYPE_CHECKING:
    from competition.models.event import Trade
    from competition.models.marking import Aspect
    from competition.models.people import User
    from competition.models.registration import Entrant


class Score(db.Model):
    """One judge's mark for one entrant on one aspect (分数). ``trade_id`` is the aspect's trade,
    kept on the row so that a trade's marks are read with one indexed query."""

    id: Mapped[int] = mapped_column(primary_key=True)
    trade_id: Mapped[int] = mapped_column(sa.ForeignKey("trade.id", ondelete="CASCADE"), index=True)
    entrant_id: Mapped[int] = mapped_column(sa.ForeignKey("entrant.id", ondelete="RESTRICT"),
                                            index=True)
    aspect_id: Mapped[int] = mapped_column(sa.ForeignKey("aspect.id", ondelete="CASCADE"),
                                           index=True)
    judge_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    value: Mapped[Decimal] = mapped_column(MARK)
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"))

    judge: Mapped[User] = relationship(foreign_keys=[judge_id])
    entrant: Mapped[Entrant] = relationship()
    aspect: Mapped[Aspect] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("judge_id", "entrant_id", "aspect_id"),
        sa.CheckConstraint("value >= 0", name="value_not_negative"),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )


class AuditAction(enum.StrEnum):
    INSERT = "insert"
    UPDATE = "update"
    DELETE = "delete"
    OPEN = "open"
    LOCK = "lock"
    UNLOCK = "unlock"


class AuditEntry(db.Model):
    """One recorded change: who, when, which mark (or which trade), old, new and why.

    Rows are only ever added. References to entrants, aspects and people are kept when those are
    removed (set to NULL) so that the log outlives what it describes; the trade's own log goes
    with the trade, which can only be deleted before scoring opens.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"),
                                                index=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    trade_id: Mapped[int] = mapped_column(sa.ForeignKey("trade.id", ondelete="CASCADE"), index=True)
    entrant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("entrant.id", ondelete="SET NULL"), index=True)
    aspect_id: Mapped[int | None] = mapped_column(sa.ForeignKey("aspect.id", ondelete="SET NULL"))
    judge_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"),
                                                 index=True)
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction, 10))
    old_value: Mapped[Decimal | None] = mapped_column(MARK)
    new_value: Mapped[Decimal | None] = mapped_column(MARK)
    reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    judge: Mapped[User | None] = relationship(foreign_keys=[judge_id])
    trade: Mapped[Trade] = relationship()
    entrant: Mapped[Entrant | None] = relationship()
    aspect: Mapped[Aspect | None] = relationship()
