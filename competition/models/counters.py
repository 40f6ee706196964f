"""Shared counters with an expiry, for limits that must hold across worker processes and hosts
when no Redis is configured (``competition.services.throttle``)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from competition.extensions import db


class Counter(db.Model):
    """A named count that lapses at ``expires_at`` (a lapsed row counts as absent)."""

    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
