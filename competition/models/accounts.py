"""The account log: who created an account, reset or changed its password, disabled or enabled
it, or moved it to another delegation, and when. Supervisors read it beside the audit log of
marks."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.domain.accounts import AccountEventKind
from competition.extensions import db
from competition.models.base import enum_column, utcnow

if TYPE_CHECKING:
    from competition.models.people import User

__all__ = ["AccountEvent", "AccountEventKind"]


class AccountEvent(db.Model):
    """One thing done to an account. Rows are only ever added; the usernames are kept as they
    were, so that the log outlives the accounts it names (an administrator's account, which
    belongs to no event, is not in an event's backup)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    kind: Mapped[AccountEventKind] = mapped_column(enum_column(AccountEventKind, length=30))
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    username: Mapped[str] = mapped_column(sa.String(64))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    actor_username: Mapped[str] = mapped_column(sa.String(64), default="")
    detail: Mapped[str] = mapped_column(sa.String(300), default="")

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
