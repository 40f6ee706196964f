"""Results as plain data: what a page, the API, the workbook or the command line shows of a
trade's results, provisional or published, and of the medal table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from competition.domain.awards import Award, Tier
from competition.domain.messages import Problem
from competition.domain.names import Bilingual, pick
from competition.models import ResultLine, Trade


@dataclass(frozen=True)
class Member:
    """A person of an entrant (the contestant of an individual, each member of a team)."""

    contestant_id: int | None
    name: str
    number: str


@dataclass(frozen=True)
class Title:
    zh: str
    en: str

    def name(self, locale: str) -> str:
        return pick(self.zh, self.en, locale)


@dataclass(frozen=True)
class CriterionHead(Bilingual):
    id: int
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True, eq=False)
class Line:
    """One entrant's result: place (None when unranked), scores, award and display data.

    ``total`` is the raw trade total, ``score`` the final (scaled) score that was ranked;
    ``criteria`` maps a criterion id to its mark.
    """

    entrant_id: int | None
    place: int | None
    tied: bool
    status: str
    total: Decimal | None
    score: Decimal | None
    tier: int | None
    excellence: bool
    titles: tuple[Title, ...]
    criteria: Mapping[int, Decimal]
    number: str
    name: str
    members: tuple[Member, ...]
    delegation_id: int
    delegation_code: str
    delegation_name_zh: str
    delegation_name_en: str
    complete: bool = True
    anonymous_code: str | None = None

    def delegation_name(self, locale: str) -> str:
        return pick(self.delegation_name_zh, self.delegation_name_en, locale)

    @property
    def award(self) -> Award:
        return Award(Tier(self.tier) if self.tier else None, self.excellence,
                     tuple(t.zh for t in self.titles))


@dataclass(frozen=True)
class TradeResults:
    """A trade's provisional results, as :func:`compute` derives them from the marks now."""

    trade_id: int
    scaling: str
    labels: str
    criteria: tuple[CriterionHead, ...]
    lines: tuple[Line, ...]

    @property
    def complete(self) -> bool:
        """Every ranked entrant has all its marks."""
        return all(line.complete for line in self.lines if line.place is not None)


@dataclass(frozen=True)
class Amendment:
    number: int
    published_at: datetime
    reason: str


@dataclass(frozen=True)
class PublishedTrade(Bilingual):
    """The latest published version of a trade, with the history of its amendments, and the
    trade's public facts as that version published them (``name_zh``, ``name_en``,
    ``demonstration``): what public pages show, whatever the trade's set-up says now."""

    trade_id: int
    version: int
    published_at: datetime
    first_published_at: datetime
    amendments: tuple[Amendment, ...]
    scaling: str
    labels: str
    criteria: tuple[CriterionHead, ...]
    lines: tuple[Line, ...]
    name_zh: str = ""
    name_en: str = ""
    demonstration: bool = False

    @property
    def amended(self) -> bool:
        return bool(self.amendments)

    @property
    def latest_amendment(self) -> Amendment | None:
        return self.amendments[-1] if self.amendments else None


@dataclass(frozen=True)
class MedalLine(Bilingual):
    """A delegation's row of the medal table."""

    rank: int
    delegation_id: int
    code: str
    name_zh: str
    name_en: str
    gold: int
    silver: int
    bronze: int
    excellence: int
    total: int
    points: int


@dataclass(frozen=True)
class TradeState(Bilingual):
    """Where a trade stands on its way to the public: scoring state and published versions.
    ``name_zh``, ``name_en`` and ``demonstration`` are what the public is shown of the trade:
    as its latest version published them once it is published, else as it is set up."""

    trade: Trade
    versions: int
    published_at: datetime | None
    first_published_at: datetime | None
    name_zh: str
    name_en: str
    demonstration: bool

    @property
    def published(self) -> bool:
        return self.versions > 0

    @property
    def amended(self) -> bool:
        return self.versions > 1


@dataclass
class EventPublication:
    """What :func:`publish_all` did: the trades published and those left, with the reason."""

    published: list[Trade] = field(default_factory=list)
    skipped: list[tuple[Trade, Problem]] = field(default_factory=list)


def line_from_row(row: ResultLine) -> Line:
    """A published line as plain data (the one conversion every reader of published results
    uses, so pages, the API, the workbook and certificates show the same)."""
    return Line(
        entrant_id=row.entrant_id, place=row.place, tied=row.tied, status=row.status,
        total=row.total, score=row.score, tier=row.tier, excellence=row.excellence,
        titles=tuple(Title(t["zh"], t.get("en", "")) for t in row.titles or ()),
        criteria={int(k): Decimal(v) for k, v in (row.criteria or {}).items()},
        number=row.number, name=row.name,
        members=tuple(Member(m.get("contestant_id"), m["name"], m.get("number", ""))
                      for m in row.members or ()),
        delegation_id=row.delegation_id, delegation_code=row.delegation_code,
        delegation_name_zh=row.delegation_name_zh, delegation_name_en=row.delegation_name_en)


def criteria_heads(stored: list | None) -> tuple[CriterionHead, ...]:
    """The criteria a version was published with."""
    return tuple(CriterionHead(c["id"], c["code"], c["name_zh"], c.get("name_en", ""))
                 for c in stored or ())
