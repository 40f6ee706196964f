"""The audit log of an event's marks and trade states: filtered lists and the Excel export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from competition.domain.messages import N_
from competition.extensions import db
from competition.models import Aspect, AuditEntry, Entrant, Event
from competition.spreadsheets.writer import SheetSpec, write_workbook


@dataclass(frozen=True)
class AuditFilter:
    trade_id: int | None = None
    judge_id: int | None = None
    entrant_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def audit_query(event: Event, filters: AuditFilter) -> sa.Select:
    """The event's audit entries, newest first, narrowed by ``filters`` (dates inclusive, in
    the server's time zone as stored)."""
    query = sa.select(AuditEntry).where(AuditEntry.event_id == event.id)
    if filters.trade_id:
        query = query.where(AuditEntry.trade_id == filters.trade_id)
    if filters.judge_id:
        query = query.where(AuditEntry.judge_id == filters.judge_id)
    if filters.entrant_id:
        query = query.where(AuditEntry.entrant_id == filters.entrant_id)
    if filters.date_from:
        query = query.where(AuditEntry.at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to and filters.date_to < date.max:  # 9999-12-31 has no next day to stop at
        query = query.where(AuditEntry.at < datetime.combine(filters.date_to + timedelta(days=1),
                                                             time.min))
    return query.options(joinedload(AuditEntry.user), joinedload(AuditEntry.judge),
                         joinedload(AuditEntry.trade),
                         joinedload(AuditEntry.aspect).joinedload(Aspect.criterion),
                         joinedload(AuditEntry.entrant).selectinload(Entrant.members)) \
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def trade_history(event: Event, trade_id: int, limit: int = 10) -> list[AuditEntry]:
    """The latest state changes of a trade (open, sign-off, unlock), newest first."""
    return db.session.scalars(audit_query(event, AuditFilter(trade_id=trade_id))
                              .where(AuditEntry.entrant_id.is_(None)).limit(limit)).unique().all()


AUDIT_HEADERS = (N_("Time"), N_("Trade"), N_("Entrant"), N_("Aspect"), N_("Judge"),
                 N_("Action"), N_("Old"), N_("New"), N_("Reason"), N_("By"))


def audit_row(entry: AuditEntry) -> list[object]:
    entrant = entry.entrant
    return [entry.at.replace(tzinfo=None) if entry.at else None, entry.trade.code,
            (entrant.display_name() if entrant else ""),
            (f"{entry.aspect.criterion.code}/{entry.aspect.code}" if entry.aspect else ""),
            entry.judge.username if entry.judge else "", entry.action.value,
            entry.old_value, entry.new_value, entry.reason,
            entry.user.username if entry.user else "CLI"]


def audit_workbook(event: Event, filters: AuditFilter, translate) -> bytes:
    """The filtered audit log as an Excel workbook (one sheet)."""
    rows = (audit_row(e) for e in db.session.scalars(audit_query(event, filters)).unique())
    return write_workbook([SheetSpec(title=translate("Audit log"),
                                     headers=[translate(h) for h in AUDIT_HEADERS], rows=rows,
                                     title_lines=[f"{event.code} {event.name_zh}"],
                                     number_formats={0: "yyyy-mm-dd hh:mm:ss"})])
