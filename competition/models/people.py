"""Accounts and who judges what."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from competition.domain.accounts import fold_username
from competition.domain.panel import LEADS, Position
from competition.domain.roles import Role
from competition.extensions import db
from competition.models.base import enum_column, utcnow

if TYPE_CHECKING:
    from competition.models.event import Delegation, Event, Trade


__all__ = ["JudgeAssignment", "Position", "Role", "User"]


class User(UserMixin, db.Model):
    """An account. Everyone but an administrator belongs to one event.

    The username is stored case-folded (``competition.domain.accounts.fold_username``) and
    compared in that form, the same on every database. ``must_change_password`` is set when
    someone other than the holder chose the password (an initial password, a reset): every
    page then sends the holder to change it first.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event.id", ondelete="CASCADE"), index=True
    )
    delegation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("delegation.id", ondelete="SET NULL"), index=True
    )
    is_enabled: Mapped[bool] = mapped_column(default=True)
    session_version: Mapped[int] = mapped_column(default=1)
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    event: Mapped[Event | None] = relationship()
    delegation: Mapped[Delegation | None] = relationship()
    assignments: Mapped[list[JudgeAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint("role = 'administrator' OR event_id IS NOT NULL", name="event_scoped"),
    )

    @validates("username")
    def _fold_username(self, _key: str, username: str) -> str:
        return fold_username(username)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses disabled accounts
        return self.is_enabled

    def get_id(self) -> str:
        # The session carries the version: changing a password or disabling an account
        # bumps it, which ends every session opened before.
        return f"{self.id}:{self.session_version}"


class JudgeAssignment(db.Model):
    """A judge on a trade's panel, in a position: judge, chief judge or deputy chief judge."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    trade_id: Mapped[int] = mapped_column(sa.ForeignKey("trade.id", ondelete="CASCADE"), index=True)
    position: Mapped[Position] = mapped_column(enum_column(Position), default=Position.JUDGE)

    user: Mapped[User] = relationship(back_populates="assignments")
    trade: Mapped[Trade] = relationship(back_populates="assignments")

    __table_args__ = (sa.UniqueConstraint("user_id", "trade_id"),)

    @hybrid_property
    def is_chief(self) -> bool:
        return self.position == Position.CHIEF

    @is_chief.inplace.setter
    def _set_chief(self, chief: bool) -> None:
        self.position = Position.CHIEF if chief else Position.JUDGE

    @property
    def leads(self) -> bool:
        """Chief or deputy chief judge: resolves marks, oversees the trade."""
        return self.position in LEADS
