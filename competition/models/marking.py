"""A trade's marking scheme: criteria, each with aspects."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.domain.aggregation import Aggregation, AspectKind, AspectSpec, CriterionSpec
from competition.domain.names import Bilingual, pick
from competition.extensions import db
from competition.models.base import MARK, enum_column

if TYPE_CHECKING:
    from competition.models.event import Trade


class Criterion(Bilingual, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    trade_id: Mapped[int] = mapped_column(sa.ForeignKey("trade.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(10))
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100), default="")
    weight: Mapped[Decimal | None] = mapped_column(MARK)
    position: Mapped[int] = mapped_column(default=0)

    trade: Mapped[Trade] = relationship(back_populates="criteria")
    aspects: Mapped[list[Aspect]] = relationship(
        back_populates="criterion", cascade="all, delete-orphan", order_by="Aspect.position"
    )

    __table_args__ = (
        sa.UniqueConstraint("trade_id", "code"),
        sa.CheckConstraint("weight IS NULL OR weight > 0", name="weight_positive"),
    )

    @property
    def max_total(self) -> Decimal:
        return sum((a.max_mark for a in self.aspects), Decimal(0))

    def spec(self) -> CriterionSpec:
        return CriterionSpec(id=self.id, weight=self.weight,
                             aspects=tuple(a.spec() for a in self.aspects))


class Aspect(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        sa.ForeignKey("criterion.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(20))
    description_zh: Mapped[str] = mapped_column(sa.String(300))
    description_en: Mapped[str] = mapped_column(sa.String(300), default="")
    kind: Mapped[AspectKind] = mapped_column(enum_column(AspectKind), default=AspectKind.MEASUREMENT)
    max_mark: Mapped[Decimal] = mapped_column(MARK)
    aggregation: Mapped[Aggregation] = mapped_column(enum_column(Aggregation),
                                                     default=Aggregation.MEAN)
    trimmed_count: Mapped[int] = mapped_column(default=1)
    weight: Mapped[Decimal] = mapped_column(MARK, default=Decimal(1))
    decimals: Mapped[int] = mapped_column(default=2)
    position: Mapped[int] = mapped_column(default=0)

    criterion: Mapped[Criterion] = relationship(back_populates="aspects")

    __table_args__ = (
        sa.UniqueConstraint("criterion_id", "code"),
        sa.CheckConstraint("max_mark > 0", name="max_mark_positive"),
        sa.CheckConstraint("weight > 0", name="weight_positive"),
        sa.CheckConstraint("trimmed_count >= 0 AND trimmed_count <= 5", name="trimmed_count_range"),
        sa.CheckConstraint("decimals >= 0 AND decimals <= 3", name="decimals_range"),
    )

    def description(self, locale: str) -> str:
        return pick(self.description_zh, self.description_en, locale)

    def spec(self) -> AspectSpec:
        return AspectSpec(id=self.id, kind=self.kind, max_mark=self.max_mark,
                          aggregation=self.aggregation, trimmed_count=self.trimmed_count,
                          weight=self.weight, decimals=self.decimals)
