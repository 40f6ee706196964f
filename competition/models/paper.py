"""Paper marking sheets typed in, waiting for a second person (two-person entry,
``competition.domain.paper_entry``): an entry per sheet (trade, judge, who typed it in, when)
with its cells. The cells do not count as marks: confirming writes them as scores; an entry
is never edited and never deleted with its decision, so it is the record of who entered,
confirmed or rejected what, and why."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.domain.paper_entry import EntryStatus
from competition.extensions import db
from competition.models.base import MARK, enum_column, utcnow

if TYPE_CHECKING:
    from competition.models.event import Trade
    from competition.models.marking import Aspect
    from competition.models.people import User
    from competition.models.registration import Entrant


class PaperEntry(db.Model):
    """One marking sheet as one person typed it in; ``decided_by`` confirmed or rejected it
    (``reason``: why it was rejected)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    trade_id: Mapped[int] = mapped_column(sa.ForeignKey("trade.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    source: Mapped[str] = mapped_column(sa.String(255), default="", server_default="")
    status: Mapped[EntryStatus] = mapped_column(enum_column(EntryStatus, 10),
                                                default=EntryStatus.PENDING, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")

    trade: Mapped[Trade] = relationship()
    judge: Mapped[User | None] = relationship(foreign_keys=[judge_id])
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    cells: Mapped[list[PaperCell]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="PaperCell.sheet_row")


class PaperCell(db.Model):
    """One filled cell of an entry: the entrant, the aspect, the mark and the text as typed,
    with the sheet's row and column for showing it where the paper has it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("paper_entry.id", ondelete="CASCADE"),
                                          index=True)
    entrant_id: Mapped[int] = mapped_column(sa.ForeignKey("entrant.id", ondelete="CASCADE"))
    aspect_id: Mapped[int] = mapped_column(sa.ForeignKey("aspect.id", ondelete="CASCADE"))
    value: Mapped[Decimal] = mapped_column(MARK)
    text: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    sheet_row: Mapped[int] = mapped_column(default=0, server_default="0")
    sheet_column: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")

    entry: Mapped[PaperEntry] = relationship(back_populates="cells")
    entrant: Mapped[Entrant] = relationship()
    aspect: Mapped[Aspect] = relationship()

    __table_args__ = (sa.UniqueConstraint("entry_id", "entrant_id", "aspect_id"),)
