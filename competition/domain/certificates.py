"""Certificates (DOMAIN.md, "Certificates" and "Integrity"): who is entitled to which, and how
the certificates already issued are brought in step with the latest published results.

**Entitlement.** From a published version, every person of an entrant (each member of a team)
is entitled to one award certificate for a tier or excellence, one title certificate per title,
and, when the event prints them, one participation certificate if the entrant competed.

**The award changed.** A certificate is identified by its holder, its kind and its award as
printed (the award's Chinese name). A certificate still stands when the latest results entitle
its holder to the same kind and award under the same printed name and delegation; otherwise its
award changed and it is revoked. A person still entitled to a certificate of that kind (another
award, a corrected name) gets a new one, with a new number, which replaces the revoked one.

Switching participation certificates off later does not void those already printed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from competition.domain.awards import Tier


class CertificateKind(StrEnum):
    AWARD = "award"  # a tier or excellence (获奖证书)
    TITLE = "title"  # a title such as 技术能手 (荣誉证书)
    PARTICIPATION = "participation"  # every contestant who competed (参赛证书)


@dataclass(frozen=True)
class Member:
    contestant_id: int | None
    name: str
    number: str = ""


@dataclass(frozen=True)
class CertifiedLine:
    """What a published result line says that certificates need (plain data)."""

    tier: Tier | None
    excellence: bool
    titles: tuple[tuple[str, str], ...]  # (zh, en)
    competed: bool
    delegation_id: int
    delegation_name_zh: str
    delegation_name_en: str
    members: tuple[Member, ...]


class Keyed:
    """A certificate is identified by its holder, its kind and its award as printed."""

    contestant_id: int | None
    kind: CertificateKind
    award_zh: str

    @property
    def key(self) -> tuple:
        return (self.contestant_id, self.kind, self.award_zh)


@dataclass(frozen=True)
class Entitlement(Keyed):
    """A certificate the results call for."""

    contestant_id: int
    kind: CertificateKind
    award_zh: str
    award_en: str
    name: str
    competitor_number: str
    delegation_id: int
    delegation_name_zh: str
    delegation_name_en: str


@dataclass(frozen=True)
class Held(Keyed):
    """A valid certificate already issued, as far as the plan needs it."""

    id: int
    contestant_id: int | None
    kind: CertificateKind
    award_zh: str
    name: str
    delegation_name_zh: str


@dataclass
class Plan:
    """What to do: keep these certificates, revoke those, issue these (each naming the revoked
    certificate it replaces, if any)."""

    keep: list[int] = field(default_factory=list)
    revoke: list[int] = field(default_factory=list)
    issue: list[tuple[Entitlement, int | None]] = field(default_factory=list)


AwardNames = Callable[[Tier | None, bool], tuple[str, str]]
"""(tier, excellence) → the award's printed name in Chinese and in English."""


def entitlements(lines: Iterable[CertifiedLine], award_names: AwardNames,
                 participation: tuple[str, str] | None = None) -> list[Entitlement]:
    """Every certificate the lines call for, in line order (see the module docstring).
    ``participation`` is the printed name of a participation certificate (zh, en), or None when
    the event does not print them. Members no longer registered (no contestant id) get none."""
    found = []
    for line in lines:
        award = award_names(line.tier, line.excellence) if line.tier or line.excellence else None
        for member in line.members:
            if member.contestant_id is None:
                continue
            person = dict(contestant_id=member.contestant_id, name=member.name[:100],
                          competitor_number=member.number[:20], delegation_id=line.delegation_id,
                          delegation_name_zh=line.delegation_name_zh,
                          delegation_name_en=line.delegation_name_en)
            if award:
                found.append(Entitlement(kind=CertificateKind.AWARD, award_zh=award[0],
                                         award_en=award[1], **person))
            for zh, en in line.titles:
                found.append(Entitlement(kind=CertificateKind.TITLE, award_zh=zh[:200],
                                         award_en=(en or "")[:200], **person))
            if participation and line.competed:
                found.append(Entitlement(kind=CertificateKind.PARTICIPATION,
                                         award_zh=participation[0], award_en=participation[1],
                                         **person))
    return found


def award_changed(held: Held, wanted: Entitlement | None) -> bool:
    """Whether the certificate no longer matches what its holder is entitled to."""
    return wanted is None or (wanted.name, wanted.delegation_name_zh) != (held.name,
                                                                          held.delegation_name_zh)


def plan(held: Sequence[Held], wanted: Sequence[Entitlement], participation: bool) -> Plan:
    """Bring ``held`` (valid certificates of a trade) in step with ``wanted`` (see the module
    docstring). Issuing the same results twice plans nothing the second time."""
    desired = {w.key: w for w in wanted}
    result = Plan()
    freed: dict[tuple, list[int]] = defaultdict(list)
    for cert in held:
        if cert.kind == CertificateKind.PARTICIPATION and not participation:
            continue
        match = desired.get(cert.key)
        if not award_changed(cert, match):
            del desired[cert.key]
            result.keep.append(cert.id)
            continue
        result.revoke.append(cert.id)
        freed[(cert.contestant_id, cert.kind)].append(cert.id)
    for entitlement in desired.values():
        replaced = freed.get((entitlement.contestant_id, entitlement.kind))
        result.issue.append((entitlement, replaced.pop(0) if replaced else None))
    return result
