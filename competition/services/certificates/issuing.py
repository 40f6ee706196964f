"""Issuing certificates: the certificates of a trade (or of every trade of an event) kept in step
with the latest published versions (the rules are ``competition.domain.certificates``).

Numbers look like ``HN2026-0007-0012-K7QX2``: the event's code, the trade's sequence in the event
(its place in the order trades were created, fixed at its first certificate), a running number
within the trade and a random check code (``competition.domain.verification``). Numbers are never
reused. A certificate prints the trade's names as its results were published.

:func:`issue` is the organizer's use case (its own transaction); :func:`follow_amendment` does the
same for one amended trade inside the amendment's transaction (``services.publishing``), so that a
certificate whose award the amendment changes is revoked, and its replacement issued, the moment
the amendment is public.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import force_locale, gettext

from competition.certificates.wording import TITLES, TITLES_EN
from competition.domain.awards import EXCELLENCE_LABEL, Tier, tier_label
from competition.domain.certificates import CertifiedLine, Entitlement, Held, Member, entitlements, plan
from competition.domain.entrants import competes
from competition.domain.messages import N_, Problem
from competition.domain.verification import CHECK_ALPHABET, CHECK_LENGTH, certificate_number
from competition.extensions import db
from competition.models import Certificate, Event, ResultLine, ResultVersion, Trade, User
from competition.models.base import utcnow
from competition.services.authority import require_organizer
from competition.services.certificates.settings import settings_for
from competition.services.errors import committing
from competition.services.results import latest_published

RESULTS_CHANGED = "成绩变更 / Results changed"
ISSUE_RACE = N_("Certificates of this event were being issued at the same time; try again.")


@dataclass(frozen=True)
class IssueReport:
    """What :func:`issue` did."""

    issued: int = 0
    kept: int = 0
    revoked: int = 0


def _label(tier: int | None, excellence: bool, labels: str, locale: str) -> str:
    with force_locale(locale):
        if tier:
            return gettext(tier_label(Tier(tier), labels))
        return gettext(EXCELLENCE_LABEL) if excellence else ""


def certified_line(row: ResultLine) -> CertifiedLine:
    """What certificates need of a published line, as plain data."""
    return CertifiedLine(
        tier=Tier(row.tier) if row.tier else None, excellence=row.excellence,
        titles=tuple((t["zh"], t.get("en") or "") for t in row.titles or ()),
        competed=competes(row.status), delegation_id=row.delegation_id,
        delegation_name_zh=row.delegation_name_zh, delegation_name_en=row.delegation_name_en,
        members=tuple(Member(m.get("contestant_id"), m["name"], m.get("number") or "")
                      for m in row.members or ()))


def wanted(version: ResultVersion, lines: Iterable[ResultLine],
           participation: bool) -> list[Entitlement]:
    """The certificates a published version calls for, in the order of its lines."""
    def names(tier: Tier | None, excellence: bool) -> tuple[str, str]:
        return (_label(tier, excellence, version.labels, "zh"),
                _label(tier, excellence, version.labels, "en"))
    return entitlements((certified_line(row) for row in lines), names,
                        (TITLES["participation"], TITLES_EN["participation"])
                        if participation else None)


class _Numbers:
    """Hands out trade sequences and running numbers, continuing from those in the database."""

    def __init__(self, event: Event):
        self.event = event
        rows = db.session.execute(
            sa.select(Certificate.trade_id, sa.func.min(Certificate.trade_sequence),
                      sa.func.max(Certificate.serial))
            .where(Certificate.event_id == event.id).group_by(Certificate.trade_id)).all()
        self.sequence = {trade_id: sequence for trade_id, sequence, _ in rows}
        self.serial = {trade_id: serial for trade_id, _, serial in rows}
        order = db.session.scalars(sa.select(Trade.id).where(Trade.event_id == event.id)
                                   .order_by(Trade.id)).all()
        self.position = {trade_id: n for n, trade_id in enumerate(order, start=1)}

    def next(self, trade_id: int) -> tuple[int, int, str]:
        if trade_id not in self.sequence:
            wanted = self.position.get(trade_id, 1)
            taken = set(self.sequence.values())
            self.sequence[trade_id] = wanted if wanted not in taken else max(taken) + 1
        serial = self.serial.get(trade_id, 0) + 1
        self.serial[trade_id] = serial
        sequence = self.sequence[trade_id]
        return sequence, serial, certificate_number(self.event.code, sequence, serial,
                                                    check_code())


def check_code() -> str:
    """A fresh random check code for a certificate number."""
    return "".join(secrets.choice(CHECK_ALPHABET) for _ in range(CHECK_LENGTH))


def issue(target: Event | Trade, user: User | None = None) -> IssueReport:
    """Bring the certificates of ``target`` (a trade, or every trade of an event) in step with
    their latest published versions (see the module docstring). ``user`` None is the command
    line. Idempotent; trades never published have no certificates."""
    event = target if isinstance(target, Event) else target.event
    require_organizer(user, event.id)
    with committing(Problem(ISSUE_RACE)):
        report = _sync(event, None if isinstance(target, Event) else [target.id])
    return report


def follow_amendment(trade: Trade) -> IssueReport:
    """Inside the transaction of an amendment of ``trade`` (no commit): once the trade has
    certificates, bring them in step with the amended version at once (revoke those whose award
    changed, with the amendment's reason; issue the replacements and any new ones). A trade
    whose certificates were never issued is left alone: :func:`issue` issues them when they are
    printed."""
    issued = db.session.scalar(sa.select(Certificate.id).where(Certificate.trade_id == trade.id)
                               .limit(1))
    if issued is None:
        return IssueReport()
    report = _sync(trade.event, [trade.id])
    db.session.flush()
    return report


def _sync(event: Event, trade_ids: Sequence[int] | None) -> IssueReport:
    """Carry out the plan for the trades (every published trade of the event for None), without
    committing."""
    settings = settings_for(event)
    # One issuer per event at a time (PostgreSQL); SQLite serialises writers anyway.
    db.session.execute(sa.select(Event.id).where(Event.id == event.id).with_for_update())
    published = latest_published(event, trade_ids)
    existing: dict[int, list[Certificate]] = defaultdict(list)
    query = sa.select(Certificate).where(Certificate.event_id == event.id,
                                         Certificate.revoked_at.is_(None))
    if trade_ids is not None:
        query = query.where(Certificate.trade_id.in_(trade_ids))
    for cert in db.session.scalars(query.order_by(Certificate.id)):
        existing[cert.trade_id].append(cert)
    trades = {t.id: t for t in db.session.scalars(
        sa.select(Trade).where(Trade.id.in_(list(published))))} if published else {}
    numbers = _Numbers(event)
    counts = [0, 0, 0]
    for trade_id in sorted(published, key=lambda i: numbers.position.get(i, i)):
        version, lines = published[trade_id]
        report = _sync_trade(trades[trade_id], version, lines, existing[trade_id],
                             settings.participation, numbers)
        counts = [a + b for a, b in zip(counts, report)]
    return IssueReport(*counts)


def _sync_trade(trade: Trade, version: ResultVersion, lines: list[ResultLine],
                existing: list[Certificate], participation: bool,
                numbers: _Numbers) -> tuple[int, int, int]:
    """Carry out the domain's plan for one trade: revoke with the amendment's reason, issue the
    new certificates with new numbers (each naming the one it replaces)."""
    todo = plan([Held(c.id, c.contestant_id, c.kind, c.award_zh, c.name, c.delegation_name_zh)
                 for c in existing], wanted(version, lines, participation), participation)
    reason = version.reason if version.is_amendment and version.reason else RESULTS_CHANGED
    now = utcnow()
    by_id = {c.id: c for c in existing}
    for cert_id in todo.revoke:
        by_id[cert_id].revoked_at, by_id[cert_id].revoked_reason = now, reason[:500]
    for entitled, replaces_id in todo.issue:
        sequence, serial, number = numbers.next(trade.id)
        db.session.add(Certificate(
            number=number, event_id=trade.event_id, trade_id=trade.id, trade_sequence=sequence,
            serial=serial, contestant_id=entitled.contestant_id,
            delegation_id=entitled.delegation_id, kind=entitled.kind,
            award_zh=entitled.award_zh, award_en=entitled.award_en, name=entitled.name,
            competitor_number=entitled.competitor_number,
            delegation_name_zh=entitled.delegation_name_zh,
            delegation_name_en=entitled.delegation_name_en,
            trade_name_zh=version.trade_name_zh[:100], trade_name_en=version.trade_name_en[:100],
            result_version_id=version.id, issued_at=now,
            replaces=by_id[replaces_id] if replaces_id else None))
    return len(todo.issue), len(todo.keep), len(todo.revoke)
