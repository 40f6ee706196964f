"""Two-person entry of paper marking sheets (``competition.domain.paper_entry``).

A filled marking sheet uploaded to the score import is checked as every import is (all cells or
none), then kept as a pending :class:`PaperEntry` per trade and judge: its marks do not count. A
second person confirms it (a button, or by uploading the same sheet typed independently: only a
typing identical cell by cell confirms; the differing cells are shown) or rejects it with a
reason. Confirming writes the marks through the one writer of marks in the same transaction
that marks the entry confirmed, audited with both people named. An entry is never edited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from competition.domain.messages import N_, Problem
from competition.domain.paper_entry import (
    Decider,
    Difference,
    EntryFacts,
    EntryStatus,
    decide_problem,
    differences,
)
from competition.domain.roles import belongs_to, organizes
from competition.extensions import db
from competition.models import Event, PaperCell, PaperEntry, User
from competition.models.base import utcnow
from competition.services import judging
from competition.services.authority import leads, overseen_trades
from competition.services.errors import NotAllowed, committing
from competition.services.imports import scores
from competition.services.imports.report import IN_THE_REQUEST, ImportReport, Options

NOT_THIS_SHEET = N_("The upload holds no marking sheet of judge %(judge)s for trade %(trade)s.")
DIFFERS = N_("The second typing differs from the entry in %(n)s cells: nothing was confirmed.")
NO_SUCH_ENTRY = N_("No such paper entry in this event.")


def run(event: Event, data: bytes, actor: User | None = None, source: str = "",
        options: Options = IN_THE_REQUEST) -> ImportReport:
    """The score import: filled marking sheets become pending entries (nothing counts yet);
    the row-per-mark format is written at once (:func:`scores.run`)."""
    if not scores.is_paper(event, data):
        return scores.run(event, data, actor, source, options)
    report, marks = scores.check_paper(event, data)
    if marks:
        report.entries = len(enter(event, actor, source, marks))
    return report


def enter(event: Event, actor: User | None, source: str,
          marks: list[scores.PaperMark]) -> list[int]:
    """Keep checked marks as pending entries, one per trade and judge, in one transaction."""
    sheets: dict[tuple[int, int], list[scores.PaperMark]] = defaultdict(list)
    for mark in marks:
        sheets[(mark.change.trade_id, mark.change.key.judge_id)].append(mark)
    entries = []
    with committing():
        for (trade_id, judge_id), filled in sheets.items():
            entry = PaperEntry(event_id=event.id, trade_id=trade_id, judge_id=judge_id,
                               entered_by_id=actor.id if actor else None, source=source[:255],
                               status=EntryStatus.PENDING)
            entry.cells = [PaperCell(entrant_id=m.change.key.entrant_id,
                                     aspect_id=m.change.key.aspect_id, value=m.change.value,
                                     text=m.change.text[:40], sheet_row=m.row,
                                     sheet_column=m.column[:120]) for m in filled]
            db.session.add(entry)
            entries.append(entry)
        db.session.flush()
        ids = [e.id for e in entries]
    return ids


def entries_of(event: Event, user: User, limit: int = 50) -> list[PaperEntry]:
    """The event's paper entries of the trades ``user`` oversees (organizers and supervisors:
    every trade; chief and deputy chief judges: theirs): pending ones first, oldest first, then
    the latest decided."""
    trade_ids = [t.id for t in overseen_trades(user, event.id)]
    if not trade_ids:
        return []
    query = (sa.select(PaperEntry).where(PaperEntry.event_id == event.id,
                                         PaperEntry.trade_id.in_(trade_ids))
             .options(selectinload(PaperEntry.cells)))
    pending = db.session.scalars(query.where(PaperEntry.status == EntryStatus.PENDING)
                                 .order_by(PaperEntry.entered_at, PaperEntry.id)).all()
    decided = db.session.scalars(query.where(PaperEntry.status != EntryStatus.PENDING)
                                 .order_by(PaperEntry.decided_at.desc(), PaperEntry.id.desc())
                                 .limit(limit)).all()
    return [*pending, *decided]


def entry_of(event: Event, user: User, entry_id: int) -> PaperEntry:
    """The paper entry ``entry_id`` of ``event`` if ``user`` oversees its trade; NotAllowed
    otherwise (also for an entry of another event: it is not named)."""
    entry = db.session.get(PaperEntry, entry_id)
    if entry is None or entry.event_id != event.id \
            or entry.trade_id not in {t.id for t in overseen_trades(user, event.id)}:
        raise NotAllowed(Problem(NO_SUCH_ENTRY))
    return entry


def decide_refusal(user: User | None, entry: PaperEntry) -> Problem | None:
    """Why ``user`` may not confirm or reject ``entry`` now, or None (the rule:
    :func:`competition.domain.paper_entry.decide_problem`)."""
    may = user is not None and belongs_to(user.role, user.event_id, entry.event_id) \
        and (organizes(user.role) or leads(user, entry.trade))
    facts = EntryFacts(entry.entered_by_id, entry.judge_id or 0, entry.status,
                       entry.trade.status)
    return decide_problem(facts, Decider(user.id if user else None, may))


def _require(user: User, entry: PaperEntry) -> None:
    if problem := decide_refusal(user, entry):
        raise NotAllowed(problem)


def _name(user: User | None) -> str:
    return user.username if user is not None else "CLI"


def confirm(event: Event, user: User, entry_id: int) -> int:
    """Confirm the entry: its marks written by the one writer of marks (audited as entered by
    one person and confirmed by the other) and the entry confirmed, in one transaction, all or
    none; refused when a cell may no longer be marked by its judge (the check of the import
again). Returns the number of marks changed."""
    entry = entry_of(event, user, entry_id)
    _require(user, entry)
    changes = [judging.MarkChange(judging.CellKey(entry.judge_id, c.entrant_id, c.aspect_id),
                                  entry.trade_id, c.value, None, c.text) for c in entry.cells]
    if problem := scores.cell_refusal(event, changes):
        raise NotAllowed(problem)
    reason = (f"paper entry {entry.id} {entry.source}: entered by {_name(entry.entered_by)}, "
              f"confirmed by {_name(user)}")
    entry.status, entry.decided_by_id, entry.decided_at = EntryStatus.CONFIRMED, user.id, utcnow()
    try:  # the writer commits the entry's decision with the marks, or rolls both back
        return judging.record_marks(user, event.id, changes, reason, check_versions=False)
    except judging.StaleCells:
        raise NotAllowed(Problem(N_("Marks changed while confirming; nothing was confirmed. "
                                    "Try again."))) from None


def reject(event: Event, user: User, entry_id: int, reason: str) -> None:
    """Reject the entry with ``reason``: none of its marks will count; it is kept, decided."""
    entry = entry_of(event, user, entry_id)
    _require(user, entry)
    with committing():
        entry.status, entry.decided_by_id, entry.decided_at = (EntryStatus.REJECTED, user.id,
                                                               utcnow())
        entry.reason = reason[:500]


@dataclass
class Typing:
    """A second typing of an entry's sheet: its import report (problems of the upload), the
    cells where it differs from the entry, and how many marks confirming it wrote."""

    report: ImportReport
    differences: list[Difference] = field(default_factory=list)
    written: int | None = None


def confirm_by_typing(event: Event, user: User, entry_id: int, data: bytes) -> Typing:
    """Confirm the entry by the same sheet typed in again by ``user``: checked as an import,
    then compared cell by cell ((entrant id, aspect id) → mark) with the entry; only an
    identical typing confirms (:func:`confirm`), otherwise nothing changes."""
    entry = entry_of(event, user, entry_id)
    _require(user, entry)
    report, marks = scores.check_paper(event, data)
    if not report.ok:
        return Typing(report)
    typed = {(m.change.key.entrant_id, m.change.key.aspect_id): m.change.value for m in marks
             if m.change.trade_id == entry.trade_id and m.change.key.judge_id == entry.judge_id}
    if not typed:
        report.add(None, Problem(NOT_THIS_SHEET, {"judge": _name(entry.judge),
                                                  "trade": entry.trade.code}))
        return Typing(report)
    found = differences({(c.entrant_id, c.aspect_id): c.value for c in entry.cells}, typed)
    if found:
        report.add(None, Problem(DIFFERS, {"n": len(found)}))
        return Typing(report, found)
    return Typing(report, [], confirm(event, user, entry_id))
