"""The one writer of marks: the judge's sheet, the chief judge's resolution, paper sheets and
declared conflicts all change marks through :func:`record`.

A score carries a ``version``: every change is written as ``UPDATE ... WHERE version = :loaded``
and bumps it, so a mark somebody else changed since it was loaded comes back as a
:class:`StaleCell` and nothing of the save is written. Every insert, change and deletion writes an
audit row in the same transaction.

Concurrency: :func:`record` first takes a lock on the trades' rows that keeps them open for the
length of the transaction (``FOR SHARE`` on PostgreSQL, SQLite's single write lock), so a
sign-off cannot slip between the check and the write. An insert that meets a concurrent insert of
the same cell (unique constraint) is stale too; cells are written in key order so that two saves
never deadlock.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from competition.domain.messages import N_, Problem
from competition.domain.numbers import format_mark
from competition.domain.panel import CellKey
from competition.domain.trade_state import NOT_OPEN, TradeStatus, marks_problem
from competition.extensions import db
from competition.models import AuditAction, AuditEntry, Score, Trade, User
from competition.models.base import utcnow
from competition.services.errors import NotAllowed, committing

STALE_SEEN = N_("Changed by someone else since you loaded the sheet: now %(current)s.")
NOT_A_NUMBER = N_("Mark must be a number.")


@dataclass(frozen=True)
class MarkChange:
    """One cell to write: its key, the trade, the new value (None deletes the mark), the version
    it was loaded with (None: there was no mark) and the text as typed."""

    key: CellKey
    trade_id: int
    value: Decimal | None
    version: int | None
    text: str


@dataclass(frozen=True)
class StaleCell:
    """A cell somebody else changed since it was loaded: what it holds now."""

    key: CellKey
    current: Decimal | None
    current_version: int | None
    attempted: str

    def problem(self) -> Problem:
        return Problem(STALE_SEEN, {"current": "—" if self.current is None
                                    else format_mark(self.current)})


class StaleCells(Exception):
    """Raised inside a save's transaction so that it rolls back; carries the stale cells."""

    def __init__(self, cells: list[StaleCell]):
        super().__init__(f"{len(cells)} stale cells")
        self.cells = cells


_DECIMAL_TEXT = re.compile(r"^\d+(\.\d*)?$|^\.\d+$")


def parse_mark(text: str) -> Decimal | None | Problem:
    """The mark typed in a cell: ``None`` for an empty cell, a Problem when it is no number.
    Full-width digits, the ideographic full stop and a decimal comma (7,5) are accepted."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip().replace(",", ".").replace("。", ".")
    if not cleaned:
        return None
    if not _DECIMAL_TEXT.match(cleaned):
        return Problem(NOT_A_NUMBER)
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return Problem(NOT_A_NUMBER)


def current_marks(keys: Sequence[CellKey]) -> dict[CellKey, tuple[int, Decimal, int]]:
    """(id, value, version) of the stored marks among ``keys``."""
    if not keys:
        return {}
    wanted = set(keys)
    found = {}
    for row in db.session.execute(
            sa.select(Score.id, Score.judge_id, Score.entrant_id, Score.aspect_id, Score.value,
                      Score.version)
            .where(Score.judge_id.in_({k.judge_id for k in keys}),
                   Score.entrant_id.in_({k.entrant_id for k in keys}))):
        key = CellKey(row.judge_id, row.entrant_id, row.aspect_id)
        if key in wanted:
            found[key] = (row.id, row.value, row.version)
    return found


def hold_open(trade_ids: Iterable[int]) -> Problem | None:
    """Lock the trades' rows for this transaction; the problem of the first one not open (it
    was signed off or closed meanwhile), or None when all are open."""
    ids = sorted(set(trade_ids))
    if db.session.get_bind().dialect.name == "postgresql":
        statuses = db.session.scalars(sa.select(Trade.status).where(Trade.id.in_(ids))
                                      .order_by(Trade.id).with_for_update(read=True)).all()
        if len(statuses) == len(ids) and all(s == TradeStatus.OPEN for s in statuses):
            return None
    else:
        # SQLite: the first write takes the database's one write lock until commit; later reads
        # in the transaction see every committed change and nobody else can write meanwhile.
        touched = db.session.execute(
            sa.update(Trade).where(Trade.id.in_(ids), Trade.status == TradeStatus.OPEN)
            .values(status=Trade.status).execution_options(synchronize_session=False)).rowcount
        if touched == len(ids):
            return None
        statuses = db.session.scalars(sa.select(Trade.status).where(Trade.id.in_(ids))).all()
    return next((p for s in statuses if (p := marks_problem(s))), Problem(NOT_OPEN))


def _stale(change: MarkChange) -> StaleCell:
    fresh = current_marks([change.key]).get(change.key)
    return StaleCell(change.key, fresh[1] if fresh else None, fresh[2] if fresh else None,
                     change.text)


def write(actor: User | None, event_id: int, changes: Sequence[MarkChange], reason: str,
          check_versions: bool = True) -> int:
    """Write ``changes`` inside the caller's transaction (the trades held open), auditing
    each; raise StaleCells at the first stale cells. Returns the number of marks changed."""
    changes = sorted(changes, key=lambda c: c.key)
    current = current_marks([c.key for c in changes])
    stale = []
    for change in changes:
        stored = current.get(change.key)
        stored_version = stored[2] if stored else None
        if check_versions and stored_version != change.version:
            if stored is not None and change.value is not None and stored[1] == change.value:
                continue  # someone saved the same mark: nothing to overwrite, nothing lost
            stale.append(StaleCell(change.key, stored[1] if stored else None, stored_version,
                                   change.text))
    if stale:
        raise StaleCells(stale)
    now = utcnow()
    actor_id = actor.id if actor is not None else None
    connection = db.session.connection()
    # On PostgreSQL a failed insert spoils the transaction unless it ran in a savepoint; SQLite
    # holds the write lock since hold_open, so no concurrent insert can collide there.
    guard = connection.begin_nested if connection.dialect.name == "postgresql" else nullcontext
    scores = Score.__table__
    audit = []
    for change in changes:
        stored = current.get(change.key)
        old = stored[1] if stored else None
        if change.value == old or (stored is None and change.value is None):
            continue
        judge_id, entrant_id, aspect_id = change.key
        if stored is None:
            try:
                with guard():
                    connection.execute(scores.insert().values(
                        trade_id=change.trade_id, judge_id=judge_id, entrant_id=entrant_id,
                        aspect_id=aspect_id, value=change.value, version=1, updated_at=now,
                        updated_by_id=actor_id))
            except IntegrityError:
                raise StaleCells([_stale(change)]) from None
            action = AuditAction.INSERT
        else:
            where = sa.and_(scores.c.id == stored[0], scores.c.version == stored[2])
            if change.value is None:
                statement = scores.delete().where(where)
                action = AuditAction.DELETE
            else:
                statement = scores.update().where(where).values(
                    value=change.value, version=scores.c.version + 1, updated_at=now,
                    updated_by_id=actor_id)
                action = AuditAction.UPDATE
            if connection.execute(statement).rowcount != 1:
                raise StaleCells([_stale(change)])
        audit.append(dict(at=now, user_id=actor_id, event_id=event_id, trade_id=change.trade_id,
                          entrant_id=entrant_id, aspect_id=aspect_id, judge_id=judge_id,
                          action=action.value, old_value=old, new_value=change.value,
                          reason=reason[:500]))
    if audit:
        connection.execute(AuditEntry.__table__.insert(), audit)
    return len(audit)


def record(actor: User | None, event_id: int, changes: Sequence[MarkChange], reason: str,
           check_versions: bool = True) -> int:
    """Write ``changes`` in one transaction: hold their trades open, write every change with
    its audit row, commit. NotAllowed when a trade is no longer open, StaleCells when a cell
    changed meanwhile; either way nothing is written."""
    with committing():
        if problem := hold_open(c.trade_id for c in changes):
            raise NotAllowed(problem)
        return write(actor, event_id, changes, reason, check_versions)
