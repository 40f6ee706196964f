"""Certificates: numbered, verifiable records of an award, a title or participation, and the
event's printing settings.

A certificate is issued from a published version of a trade's results to one person (each member
of a winning team gets their own) and keeps what was printed on it (name, delegation, trade,
award), so the public verification page shows exactly that, whatever changes later. Its number
never changes; when an amendment changes or removes the award, the certificate is revoked with
the amendment's reason and a new certificate, with a new number, ``replaces`` it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.domain.certificates import CertificateKind
from competition.extensions import db
from competition.models.base import enum_column, utcnow

if TYPE_CHECKING:
    from competition.models.event import Event, Trade
    from competition.models.registration import Contestant
    from competition.models.results import ResultVersion


class Certificate(db.Model):
    """One person's certificate. ``number`` is unique and stable (``HN2026-0007-0012-K7QX2``:
    event code, the trade's sequence in the event, the running number in the trade and a random
    check code, so that numbers cannot be guessed from one another; certificates issued before
    check codes existed keep their shorter numbers)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    trade_id: Mapped[int] = mapped_column(sa.ForeignKey("trade.id", ondelete="CASCADE"), index=True)
    trade_sequence: Mapped[int]
    serial: Mapped[int]
    # The person; the name and numbers as printed stay below if the registration is removed.
    contestant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("contestant.id", ondelete="SET NULL"), index=True)
    delegation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("delegation.id", ondelete="SET NULL"), index=True)
    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind))
    award_zh: Mapped[str] = mapped_column(sa.String(200))
    award_en: Mapped[str] = mapped_column(sa.String(200), default="")
    name: Mapped[str] = mapped_column(sa.String(100))
    competitor_number: Mapped[str] = mapped_column(sa.String(20), default="")
    delegation_name_zh: Mapped[str] = mapped_column(sa.String(100))
    delegation_name_en: Mapped[str] = mapped_column(sa.String(100), default="")
    trade_name_zh: Mapped[str] = mapped_column(sa.String(100))
    trade_name_en: Mapped[str] = mapped_column(sa.String(100), default="")
    result_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("result_version.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    # The revoked certificate this one was issued in place of (always an earlier row).
    replaces_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificate.id", ondelete="SET NULL"), unique=True)

    event: Mapped[Event] = relationship()
    trade: Mapped[Trade] = relationship()
    contestant: Mapped[Contestant | None] = relationship()
    result_version: Mapped[ResultVersion] = relationship()
    replaces: Mapped[Certificate | None] = relationship(
        remote_side=[id], back_populates="replaced_by")
    replaced_by: Mapped[Certificate | None] = relationship(back_populates="replaces",
                                                           uselist=False)

    __table_args__ = (
        sa.UniqueConstraint("trade_id", "serial"),
        sa.CheckConstraint("serial >= 1 AND trade_sequence >= 1", name="numbers_positive"),
        sa.CheckConstraint("revoked_at IS NULL OR revoked_reason <> ''", name="revoked_has_reason"),
        sa.Index("ix_certificate_event_name", "event_id", "name"),
    )

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class CertificateSettings(db.Model):
    """How an event's certificates look: layout, language, images and the printed wording."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"),
                                          unique=True)
    layout: Mapped[str] = mapped_column(sa.String(20), default="classic")
    language: Mapped[str] = mapped_column(sa.String(10), default="zh")
    participation: Mapped[bool] = mapped_column(default=False)
    organizer_text: Mapped[str] = mapped_column(sa.String(200), default="")
    date_text: Mapped[str] = mapped_column(sa.String(100), default="")
    # Uploaded images, checked with Pillow (PNG or JPEG, bounded) and kept in the database so
    # that every worker and every backup has them; the type is what Pillow found, never the name.
    background: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    background_type: Mapped[str] = mapped_column(sa.String(20), default="")
    seal: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    seal_type: Mapped[str] = mapped_column(sa.String(20), default="")
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)

    __table_args__ = (
        sa.CheckConstraint("layout IN ('classic', 'modern')", name="layout_known"),
        sa.CheckConstraint("language IN ('zh', 'zh_en')", name="language_known"),
    )
