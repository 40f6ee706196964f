"""Judging: who may score what, saving score sheets, totals, progress, discrepancies, sign-off.

The rules (DOMAIN.md, "Integrity"):

- A mark is entered only by a judge assigned to the trade (JudgeAssignment), only while the trade
  is open for scoring, never for an entrant of the judge's own delegation and never for a declared
  conflict (a contestant of the entrant, or the entrant's delegation).
- The chief judge of a trade may change any judge's mark to resolve a discrepancy, always with a
  reason. Once a trade has been signed off, every later change needs a reason.
- A signed-off trade is locked: no mark changes until an organizer unlocks it, with a reason.
- A sheet is saved whole or not at all. Each cell carries the version it was loaded with; a cell
  changed by someone else since is a conflict, and nothing of the sheet is saved.
- Every insert, change and deletion of a mark, and every state change of a trade, writes an
  :class:`AuditEntry` in the same transaction.

Concurrency: a save first takes a lock on the trade row that keeps it open for the length of the
transaction (``FOR SHARE`` on PostgreSQL, SQLite's single write lock), so a sign-off cannot slip
between the check and the write. Changes are written as ``UPDATE ... WHERE version = :loaded``
and an insert that meets a concurrent insert of the same cell (unique constraint) becomes a
conflict; cells are written in key order so two saves never deadlock.

The chief judge scores like any assigned judge, but the *panel* whose marks a judgement or panel
aspect needs is the trade's judges other than the chief (all of them when the chief is alone),
less those recused from the entrant.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from contextlib import nullcontext
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from competition.domain.aggregation import (AspectKind, TradeTotal, find_discrepancies,
                                            judge_severity, trade_total, validate_mark,
                                            validate_scheme)
from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.models import (Aspect, AuditAction, AuditEntry, Conflict, Contestant, Criterion,
                                Delegation, Entrant, EntrantStatus, Event, JudgeAssignment, Role,
                                Score, Trade, TradeStatus, User)
from competition.models.base import utcnow
from competition.services.errors import Invalid, NotAllowed
from competition.spreadsheets.writer import SheetSpec, write_workbook

ORGANIZING = (Role.ADMINISTRATOR, Role.ORGANIZER)
SEEING_NAMES = (Role.ADMINISTRATOR, Role.ORGANIZER, Role.SUPERVISOR)
SCORING = (Role.JUDGE, Role.CHIEF_JUDGE)

NOT_OPEN = N_("This trade is not open for scoring.")
LOCKED = N_("This trade is signed off: its marks are locked.")
NOT_ON_PANEL = N_("You are not a judge of this trade.")
NOT_CHIEF = N_("Only the chief judge of this trade may do this.")
NOT_ORGANIZER = N_("Only an organizer of this event may do this.")
OWN_DELEGATION = N_("A judge may not mark an entrant of their own delegation.")
DECLARED_CONFLICT = N_("A declared conflict of interest keeps this judge from marking this entrant.")
RECUSALS = frozenset({OWN_DELEGATION, DECLARED_CONFLICT})
REASON_REQUIRED = N_("Give a reason for this change.")
CONFLICT_SEEN = N_("Changed by someone else since you loaded the sheet: now %(current)s.")


class CellKey(NamedTuple):
    """One cell of the marks: whose mark, for which entrant, on which aspect."""

    judge_id: int
    entrant_id: int
    aspect_id: int


@dataclass(frozen=True)
class CellInput:
    """A cell as a sheet submits it: the text typed (empty: no mark) and the version of the mark
    the sheet was loaded with (``None``: there was none). ``judge_id`` is whose mark it is; left
    out, it is the saving user's own."""

    entrant_id: int
    aspect_id: int
    value: str
    version: int | None
    judge_id: int | None = None


@dataclass(frozen=True)
class CellConflict:
    """A cell somebody else changed since the sheet was loaded: what it holds now."""

    key: CellKey
    current: Decimal | None
    current_version: int | None
    attempted: str

    def problem(self) -> Problem:
        return Problem(CONFLICT_SEEN, {"current": "—" if self.current is None
                                       else format_mark(self.current)})


@dataclass
class SaveResult:
    """What a save did: ``saved`` changes, or why nothing was saved (conflicts, problems per cell,
    problems of the whole sheet)."""

    saved: int = 0
    conflicts: list[CellConflict] = field(default_factory=list)
    problems_by_cell: dict[CellKey, Problem] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.conflicts or self.problems_by_cell or self.problems)


def format_mark(value: Decimal | None) -> str:
    """A stored mark as a judge would type it: 7.5, 8, 0.25 (no trailing zeros)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


_DECIMAL_TEXT = re.compile(r"^\d+(\.\d*)?$|^\.\d+$")


def parse_mark(text: str) -> Decimal | None | Problem:
    """The mark typed in a cell: ``None`` for an empty cell, a Problem when it is no number.
    Full-width digits and a decimal comma (7,5) are accepted."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip().replace(",", ".").replace("。", ".")
    if not cleaned:
        return None
    if not _DECIMAL_TEXT.match(cleaned):
        return Problem(N_("Mark must be a number."))
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return Problem(N_("Mark must be a number."))


# --- the panel: who judges, who is recused -----------------------------------------------------

@dataclass
class Panel:
    """A trade's judges and entrants and who is recused from whom (one load, used per cell)."""

    trade: Trade
    judges: dict[int, bool]  # judge id -> is the chief judge
    delegation_of_judge: dict[int, int | None]
    entrants: dict[int, tuple[int, EntrantStatus]]  # id -> (delegation_id, status)
    declared: set[tuple[int, int]]  # (judge_id, entrant_id) from declared conflicts

    def recusal(self, judge_id: int, entrant_id: int) -> Problem | None:
        entrant = self.entrants.get(entrant_id)
        if entrant is None:
            return None
        own = self.delegation_of_judge.get(judge_id)
        if own is not None and own == entrant[0]:
            return Problem(OWN_DELEGATION)
        if (judge_id, entrant_id) in self.declared:
            return Problem(DECLARED_CONFLICT)
        return None

    def is_chief(self, user_id: int) -> bool:
        return self.judges.get(user_id, False)

    @property
    def scorers(self) -> list[int]:
        """The judges whose marks judgement and panel aspects need (the chief judge only when
        alone on the trade)."""
        others = [j for j, chief in self.judges.items() if not chief]
        return sorted(others or self.judges)

    def eligible(self, entrant_id: int) -> list[int]:
        return [j for j in self.scorers if self.recusal(j, entrant_id) is None]

    def thin(self) -> dict[int, int]:
        """Active entrants whom recusals leave with fewer than ``MIN_PANEL`` judges (entrant id
        → judges left), on a panel that has at least that many."""
        if len(self.scorers) < MIN_PANEL:
            return {}
        left = {e: len(self.eligible(e)) for e, (_d, status) in self.entrants.items()
                if status == EntrantStatus.REGISTERED}
        return {e: n for e, n in left.items() if n < MIN_PANEL}


def load_panel(trade: Trade) -> Panel:
    """The trade's panel, its entrants and every recusal, in four queries of plain columns."""
    rows = db.session.execute(
        sa.select(JudgeAssignment.user_id, JudgeAssignment.is_chief, User.delegation_id)
        .join(User, User.id == JudgeAssignment.user_id)
        .where(JudgeAssignment.trade_id == trade.id)).all()
    judges = {row.user_id: row.is_chief for row in rows}
    entrants = {row.id: (row.delegation_id, row.status) for row in db.session.execute(
        sa.select(Entrant.id, Entrant.delegation_id, Entrant.status)
        .where(Entrant.trade_id == trade.id))}
    declared: set[tuple[int, int]] = set()
    if judges:
        declared.update(db.session.execute(
            sa.select(Conflict.user_id, Contestant.entrant_id)
            .join(Contestant, Contestant.id == Conflict.contestant_id)
            .where(Contestant.trade_id == trade.id, Conflict.user_id.in_(judges))).all())
        by_delegation = defaultdict(list)
        for entrant_id, (delegation_id, _status) in entrants.items():
            by_delegation[delegation_id].append(entrant_id)
        for user_id, delegation_id in db.session.execute(
                sa.select(Conflict.user_id, Conflict.delegation_id)
                .where(Conflict.delegation_id.is_not(None), Conflict.user_id.in_(judges))):
            declared.update((user_id, e) for e in by_delegation.get(delegation_id, ()))
    return Panel(trade=trade, judges=judges,
                 delegation_of_judge={row.user_id: row.delegation_id for row in rows},
                 entrants=entrants, declared=declared)


def _status_problem(trade: Trade) -> Problem | None:
    if trade.status == TradeStatus.SIGNED_OFF:
        return Problem(LOCKED)
    if trade.status != TradeStatus.OPEN:
        return Problem(NOT_OPEN)
    return None


def _cell_problem(panel: Panel, user: User, key: CellKey, aspect_ids: set[int]) -> Problem | None:
    """Why ``user`` may not write the mark ``key`` (see the module docstring), or None."""
    trade = panel.trade
    if key.aspect_id not in aspect_ids:
        return Problem(N_("This aspect is not part of this trade."))
    entrant = panel.entrants.get(key.entrant_id)
    if entrant is None:
        return Problem(N_("This entrant is not in this trade."))
    if user.role not in SCORING or user.id not in panel.judges:
        return Problem(NOT_ON_PANEL)
    if problem := _status_problem(trade):
        return problem
    if key.judge_id != user.id:
        if not panel.is_chief(user.id):
            return Problem(NOT_CHIEF)
        if key.judge_id not in panel.judges:
            return Problem(N_("This judge is not on this trade's panel."))
    if entrant[1] != EntrantStatus.REGISTERED:
        return Problem(N_("This entrant is no longer competing (%(status)s)."),
                       {"status": entrant[1].value})
    return panel.recusal(key.judge_id, key.entrant_id) or panel.recusal(user.id, key.entrant_id)


def may_score(user: User, entrant: Entrant, aspect: Aspect) -> Problem | None:
    """Why ``user`` may not enter their own mark for ``entrant`` on ``aspect``, or None."""
    trade = entrant.trade
    panel = load_panel(trade)
    aspect_ids = {aspect.id} if aspect.criterion.trade_id == trade.id else set()
    return _cell_problem(panel, user, CellKey(user.id, entrant.id, aspect.id), aspect_ids)


def require_judge(user: User, trade: Trade) -> JudgeAssignment:
    """The user's assignment to the trade; NotAllowed when they are not one of its judges."""
    assignment = db.session.scalar(sa.select(JudgeAssignment).where(
        JudgeAssignment.trade_id == trade.id, JudgeAssignment.user_id == user.id))
    if assignment is None or user.role not in SCORING or user.event_id != trade.event_id:
        raise NotAllowed(Problem(NOT_ON_PANEL))
    return assignment


def require_chief(user: User, trade: Trade) -> None:
    if not require_judge(user, trade).is_chief:
        raise NotAllowed(Problem(NOT_CHIEF))


def require_organizer(user: User, trade: Trade) -> None:
    if user.role not in ORGANIZING or (user.role != Role.ADMINISTRATOR
                                       and user.event_id != trade.event_id):
        raise NotAllowed(Problem(NOT_ORGANIZER))


def can_oversee(user: User, trade: Trade) -> bool:
    """Organizers and supervisors of the event, and the trade's chief judge, see its progress,
    discrepancies and severity."""
    if user.role == Role.ADMINISTRATOR:
        return True
    if user.event_id != trade.event_id:
        return False
    if user.role in SEEING_NAMES:
        return True
    return db.session.scalar(sa.select(JudgeAssignment.is_chief).where(
        JudgeAssignment.trade_id == trade.id, JudgeAssignment.user_id == user.id)) is True


def shows_identity(trade: Trade, user: User) -> bool:
    """Blind judging: judges see anonymous codes only, until the codes are revealed."""
    return user.role in SEEING_NAMES or not trade.uses_anonymous_codes or trade.codes_revealed


# --- writing marks -----------------------------------------------------------------------------

def _aspects(trade: Trade) -> dict[int, Aspect]:
    return {a.id: a for a in db.session.scalars(
        sa.select(Aspect).join(Criterion).where(Criterion.trade_id == trade.id))}


def _ever_signed_off(trade: Trade) -> bool:
    return db.session.scalar(sa.select(AuditEntry.id).where(
        AuditEntry.trade_id == trade.id, AuditEntry.action == AuditAction.LOCK).limit(1)) is not None


def _hold_open(trade_ids: Iterable[int]) -> bool:
    """Lock the trades' rows for this transaction and tell whether they are all still open."""
    ids = sorted(set(trade_ids))
    if db.session.get_bind().dialect.name == "postgresql":
        statuses = db.session.scalars(sa.select(Trade.status).where(Trade.id.in_(ids))
                                      .order_by(Trade.id).with_for_update(read=True)).all()
        return len(statuses) == len(ids) and all(s == TradeStatus.OPEN for s in statuses)
    # SQLite: the first write takes the database's one write lock until commit; later reads in
    # the transaction see every committed change and nobody else can write meanwhile.
    touched = db.session.execute(
        sa.update(Trade).where(Trade.id.in_(ids), Trade.status == TradeStatus.OPEN)
        .values(status=Trade.status).execution_options(synchronize_session=False)).rowcount
    return touched == len(ids)


@dataclass(frozen=True)
class _Change:
    key: CellKey
    trade_id: int
    value: Decimal | None
    version: int | None
    text: str


def _current(keys: Sequence[CellKey]) -> dict[CellKey, tuple[int, Decimal, int]]:
    """(id, value, version) of the stored marks among ``keys``."""
    if not keys:
        return {}
    judges = {k.judge_id for k in keys}
    entrants = {k.entrant_id for k in keys}
    wanted = set(keys)
    found = {}
    for row in db.session.execute(sa.select(Score.id, Score.judge_id, Score.entrant_id,
                                            Score.aspect_id, Score.value, Score.version)
                                  .where(Score.judge_id.in_(judges),
                                         Score.entrant_id.in_(entrants))):
        key = CellKey(row.judge_id, row.entrant_id, row.aspect_id)
        if key in wanted:
            found[key] = (row.id, row.value, row.version)
    return found


def _write(actor: User | None, event_id: int, changes: Sequence[_Change], reason: str,
           check_versions: bool = True) -> tuple[int, list[CellConflict]]:
    """Write ``changes`` inside the caller's transaction, auditing each; stop at the first
    conflicts (the caller rolls back). Trades must be held open by the caller."""
    changes = sorted(changes, key=lambda c: c.key)
    current = _current([c.key for c in changes])
    conflicts = []
    for change in changes:
        stored = current.get(change.key)
        stored_version = stored[2] if stored else None
        if check_versions and stored_version != change.version:
            if stored is not None and change.value is not None and stored[1] == change.value:
                continue  # someone saved the same mark: nothing to overwrite, nothing lost
            conflicts.append(CellConflict(change.key, stored[1] if stored else None,
                                          stored_version, change.text))
    if conflicts:
        return 0, conflicts
    now = utcnow()
    actor_id = actor.id if actor is not None else None
    connection = db.session.connection()
    # On PostgreSQL a failed insert spoils the transaction unless it ran in a savepoint; SQLite
    # holds the write lock since _hold_open, so no concurrent insert can collide there.
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
                fresh = _current([change.key]).get(change.key)
                return 0, [CellConflict(change.key, fresh[1] if fresh else None,
                                        fresh[2] if fresh else None, change.text)]
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
                fresh = _current([change.key]).get(change.key)
                return 0, [CellConflict(change.key, fresh[1] if fresh else None,
                                        fresh[2] if fresh else None, change.text)]
        audit.append(dict(at=now, user_id=actor_id, event_id=event_id, trade_id=change.trade_id,
                          entrant_id=entrant_id, aspect_id=aspect_id, judge_id=judge_id,
                          action=action, old_value=old, new_value=change.value,
                          reason=reason[:500]))
    if audit:
        connection.execute(AuditEntry.__table__.insert(),
                           [{**row, "action": row["action"].value} for row in audit])
    return len(audit), []


def save_sheet(user: User, trade: Trade, marks: Sequence[CellInput], reason: str = "") -> SaveResult:
    """Save a score sheet whole or not at all (see the module docstring for every rule).

    Raises NotAllowed when the user may not write in this trade at all (not one of its judges,
    not open, locked); cells the user may not write, bad values and cells changed by somebody
    else since the sheet was loaded come back in the result, with nothing saved.
    """
    require_judge(user, trade)
    if problem := _status_problem(trade):
        raise NotAllowed(problem)
    reason = (reason or "").strip()
    panel = load_panel(trade)
    aspects = _aspects(trade)
    result = SaveResult()
    changes = []
    seen: set[CellKey] = set()
    for cell in marks:
        key = CellKey(cell.judge_id if cell.judge_id is not None else user.id,
                      cell.entrant_id, cell.aspect_id)
        if key in seen:
            result.problems_by_cell[key] = Problem(N_("This cell appears twice."))
            continue
        seen.add(key)
        if problem := _cell_problem(panel, user, key, set(aspects)):
            result.problems_by_cell[key] = problem
            continue
        value = parse_mark(cell.value)
        if isinstance(value, Problem):
            result.problems_by_cell[key] = value
            continue
        if value is not None:
            if problem := validate_mark(aspects[key.aspect_id].spec(), value):
                result.problems_by_cell[key] = problem
                continue
        changes.append(_Change(key, trade.id, value, cell.version, cell.value))
    if not changes or result.problems_by_cell:
        return result
    needs_reason = any(c.key.judge_id != user.id for c in changes) or _ever_signed_off(trade)
    if needs_reason and not reason:
        result.problems.append(Problem(REASON_REQUIRED))
        return result
    try:
        if not _hold_open([trade.id]):
            db.session.rollback()
            db.session.refresh(trade)
            raise NotAllowed(_status_problem(trade) or Problem(NOT_OPEN))
        result.saved, result.conflicts = _write(user, trade.event_id, changes, reason)
        if result.conflicts:
            db.session.rollback()
            result.saved = 0
        else:
            db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


# --- state changes -----------------------------------------------------------------------------

def _audit_state(trade: Trade, user: User, action: AuditAction, reason: str) -> None:
    db.session.add(AuditEntry(user_id=user.id, event_id=trade.event_id, trade_id=trade.id,
                              action=action, reason=reason[:500]))


def _transition(trade: Trade, source: TradeStatus, target: TradeStatus) -> None:
    """Move the trade from ``source`` to ``target``, refusing if someone moved it meanwhile."""
    moved = db.session.execute(
        sa.update(Trade).where(Trade.id == trade.id, Trade.status == source)
        .values(status=target).execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        db.session.rollback()
        raise NotAllowed(Problem(N_("The trade's state changed meanwhile; reload the page.")))


def _commit_state(trade: Trade) -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.refresh(trade)


def open_trade(trade: Trade, user: User) -> None:
    """An organizer opens a trade for scoring: it needs a usable marking scheme and judges."""
    require_organizer(user, trade)
    if trade.status != TradeStatus.SETUP:
        raise NotAllowed(Problem(N_("Only a trade being set up can be opened for scoring.")))
    criteria = db.session.scalars(sa.select(Criterion).where(Criterion.trade_id == trade.id)
                                  .options(selectinload(Criterion.aspects))).all()
    if problems := validate_scheme([c.spec() for c in criteria]):
        raise NotAllowed(problems[0])
    if not db.session.scalar(sa.select(sa.func.count(JudgeAssignment.id))
                             .where(JudgeAssignment.trade_id == trade.id)):
        raise NotAllowed(Problem(N_("Assign judges to this trade before opening it.")))
    _transition(trade, TradeStatus.SETUP, TradeStatus.OPEN)
    _audit_state(trade, user, AuditAction.OPEN, "")
    _commit_state(trade)


def sign_off(trade: Trade, user: User, note: str = "") -> None:
    """The chief judge signs the trade off and its marks lock. While discrepancies or missing
    marks remain, a note must record why the trade is signed off anyway."""
    require_chief(user, trade)
    if trade.status != TradeStatus.OPEN:
        raise NotAllowed(Problem(N_("Only a trade open for scoring can be signed off.")))
    note = (note or "").strip()
    open_items = len(discrepancies(trade)), len(progress(trade).missing)
    if any(open_items) and not note:
        raise Invalid({"note": Problem(
            N_("%(discrepancies)s discrepancies and %(missing)s entrants with missing marks "
               "remain: resolve them, or write down why the trade is signed off anyway."),
            {"discrepancies": open_items[0], "missing": open_items[1]})})
    _transition(trade, TradeStatus.OPEN, TradeStatus.SIGNED_OFF)
    _audit_state(trade, user, AuditAction.LOCK, note)
    _commit_state(trade)


def unlock(trade: Trade, user: User, reason: str) -> None:
    """An organizer unlocks a signed-off trade, with a reason; changes after it need reasons."""
    require_organizer(user, trade)
    if trade.status != TradeStatus.SIGNED_OFF:
        raise NotAllowed(Problem(N_("Only a signed-off trade can be unlocked.")))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": Problem(REASON_REQUIRED)})
    _transition(trade, TradeStatus.SIGNED_OFF, TradeStatus.OPEN)
    _audit_state(trade, user, AuditAction.UNLOCK, reason)
    _commit_state(trade)


# --- reading: totals, progress, discrepancies, severity ----------------------------------------

def _scheme(trade: Trade) -> list[Criterion]:
    return db.session.scalars(
        sa.select(Criterion).where(Criterion.trade_id == trade.id)
        .options(joinedload(Criterion.aspects)).order_by(Criterion.position, Criterion.id)
    ).unique().all()


def _marks(trade: Trade) -> dict[int, dict[int, dict[int, Decimal]]]:
    """entrant id → aspect id → judge id → mark, for every mark of the trade (one query)."""
    marks: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for entrant_id, aspect_id, judge_id, value in db.session.execute(
            sa.select(Score.entrant_id, Score.aspect_id, Score.judge_id, Score.value)
            .where(Score.trade_id == trade.id)):
        marks[entrant_id][aspect_id][judge_id] = value
    return marks


def _expected(panel: Panel, entrant_id: int, judged: Sequence[int]) -> dict[int, int]:
    count = max(len(panel.eligible(entrant_id)), 1)
    return {aspect_id: count for aspect_id in judged}


def trade_totals(trade: Trade) -> dict[int, TradeTotal]:
    """Every entrant's trade total, per-criterion marks and completeness, from all the trade's
    marks (one query for the marks, one for the scheme, a few for the panel). Entrants without
    marks get a total of 0, incomplete."""
    specs = [c.spec() for c in _scheme(trade)]
    judged = [a.id for c in specs for a in c.aspects if a.kind is not AspectKind.MEASUREMENT]
    marks = _marks(trade)
    panel = load_panel(trade)
    totals = {}
    for entrant_id in panel.entrants:
        given = marks.get(entrant_id, {})
        totals[entrant_id] = trade_total(
            specs, {a: list(j.values()) for a, j in given.items()},
            _expected(panel, entrant_id, judged))
    return totals


def criterion_marks(trade: Trade) -> dict[int, dict[int, Decimal]]:
    """entrant id → criterion id → criterion mark (see :func:`trade_totals`)."""
    return {entrant_id: total.criteria for entrant_id, total in trade_totals(trade).items()}


@dataclass(frozen=True)
class DiscrepancyRow:
    entrant_id: int
    aspect_id: int
    spread: Decimal
    judge_ids: tuple[int, ...]
    marks: dict[int, Decimal]


def discrepancies(trade: Trade) -> list[DiscrepancyRow]:
    """Every entrant's aspect whose judges disagree beyond the rule: measurement marks that
    differ, judgement scores more than the trade's threshold apart (see
    :func:`~competition.domain.aggregation.find_discrepancies`). Active entrants only."""
    aspects = {a.id: a.spec() for c in _scheme(trade) for a in c.aspects}
    active = set(db.session.scalars(sa.select(Entrant.id).where(
        Entrant.trade_id == trade.id, Entrant.status == EntrantStatus.REGISTERED)))
    found = []
    for entrant_id, by_aspect in _marks(trade).items():
        if entrant_id not in active:
            continue
        for aspect_id, by_judge in by_aspect.items():
            spec = aspects.get(aspect_id)
            if spec is None:
                continue
            if hit := find_discrepancies(spec, by_judge, trade.judgement_threshold):
                found.append(DiscrepancyRow(entrant_id, aspect_id, hit.spread, hit.judge_ids,
                                            dict(by_judge)))
    return sorted(found, key=lambda d: (d.entrant_id, d.aspect_id))


@dataclass(frozen=True)
class JudgeProgress:
    judge: User
    is_chief: bool
    entered: int
    expected: int


@dataclass(frozen=True)
class AspectProgress:
    aspect: Aspect
    complete: int
    entrants: int


@dataclass
class Progress:
    """How far a trade's marking is: per judge (their sheet filled), per aspect (entrants with
    all the marks it needs), and the active entrants still missing marks (id → aspects short).
    ``thin`` lists entrants whom recusals leave with fewer than ``MIN_PANEL`` judges."""

    entrants: int
    complete: int
    judges: list[JudgeProgress]
    aspects: list[AspectProgress]
    missing: dict[int, int]
    thin: dict[int, int]


MIN_PANEL = 3


def progress(trade: Trade) -> Progress:
    """Completion per judge and per aspect, and the entrants missing marks (active ones only)."""
    criteria = _scheme(trade)
    aspects = [a for c in criteria for a in c.aspects]
    marks = _marks(trade)
    panel = load_panel(trade)
    active = [e for e, (_d, status) in panel.entrants.items() if status == EntrantStatus.REGISTERED]
    per_aspect = {a.id: 0 for a in aspects}
    judged = [a for a in aspects if a.kind != AspectKind.MEASUREMENT]
    judged_ids = {a.id for a in judged}
    missing = {}
    entered: dict[int, int] = defaultdict(int)
    expected: dict[int, int] = defaultdict(int)
    for entrant_id in active:
        needed = max(len(panel.eligible(entrant_id)), 1)
        given = marks.get(entrant_id, {})
        short = 0
        for aspect in aspects:
            count = len(given.get(aspect.id, ()))
            if count >= (1 if aspect.kind == AspectKind.MEASUREMENT else needed):
                per_aspect[aspect.id] += 1
            else:
                short += 1
        if short:
            missing[entrant_id] = short
        # A judge's own share: every judgement and panel aspect of every entrant they may mark.
        # Measurements are entered once by any judge, so they count per aspect, not per judge.
        for judge_id in panel.scorers:
            if panel.recusal(judge_id, entrant_id) is None:
                expected[judge_id] += len(judged)
        for aspect_id in judged_ids:
            for judge_id in given.get(aspect_id, ()):
                entered[judge_id] += 1
    users = db.session.scalars(sa.select(User).where(User.id.in_(panel.judges))).all()
    judges = sorted(users, key=lambda u: (not panel.judges[u.id], u.username))
    return Progress(
        entrants=len(active), complete=len(active) - len(missing),
        judges=[JudgeProgress(u, panel.judges[u.id], entered[u.id], expected[u.id])
                for u in judges],
        aspects=[AspectProgress(a, per_aspect[a.id], len(active)) for a in aspects],
        missing=missing, thin=panel.thin())


def severity(trade: Trade) -> list[tuple[User, Decimal, int]]:
    """Each judge's mean deviation from the rest of the panel on judgement and panel aspects,
    in percent of the aspect's maximum (so aspects of any size compare): negative is harsh,
    positive lenient. Sorted harshest first; (judge, mean deviation, panels counted)."""
    scale = {}
    for criterion in _scheme(trade):
        for aspect in criterion.aspects:
            if aspect.kind == AspectKind.JUDGEMENT:
                scale[aspect.id] = Decimal(100) / 3
            elif aspect.kind == AspectKind.PANEL:
                scale[aspect.id] = Decimal(100) / aspect.max_mark
    panels = [{judge: mark * scale[aspect_id] for judge, mark in by_judge.items()}
              for by_aspect in _marks(trade).values()
              for aspect_id, by_judge in by_aspect.items() if aspect_id in scale]
    found = judge_severity(panels)
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(found)))}
    return sorted(((users[j], s.mean_deviation, s.count) for j, s in found.items()),
                  key=lambda row: (row[1], row[0].username))


# --- what a judge's sheet shows ----------------------------------------------------------------

@dataclass(frozen=True)
class EntrantLine:
    """An entrant as a page shows it; ``name`` and ``delegation`` are empty under blind judging."""

    id: int
    label: str
    name: str
    delegation: str
    status: EntrantStatus


def entrant_lines(trade: Trade, viewer: User, ids: Iterable[int] | None = None,
                  locale: str = "zh") -> list[EntrantLine]:
    """The trade's entrants in sheet order. Under blind judging a judge gets codes only: names
    and delegations are not even loaded."""
    identity = shows_identity(trade, viewer)
    blind = trade.uses_anonymous_codes and not trade.codes_revealed
    query = sa.select(Entrant).where(Entrant.trade_id == trade.id)
    if ids is not None:
        query = query.where(Entrant.id.in_(list(ids)))
    if identity:
        query = query.options(selectinload(Entrant.members), joinedload(Entrant.delegation))
    if blind:
        query = query.order_by(Entrant.anonymous_code.is_(None), Entrant.anonymous_code, Entrant.id)
    else:
        query = query.order_by(Entrant.draw_number.is_(None), Entrant.draw_number, Entrant.id)
    lines = []
    for entrant in db.session.scalars(query):
        if blind:
            label = entrant.anonymous_code or f"?{entrant.id}"
        else:
            label = str(entrant.draw_number) if entrant.draw_number is not None else f"#{entrant.id}"
        lines.append(EntrantLine(
            id=entrant.id, label=label,
            name=entrant.display_name() if identity else "",
            delegation=entrant.delegation.name(locale) if identity else "",
            status=entrant.status))
    return lines


@dataclass
class Sheet:
    """A judge's score sheet: entrants × aspects, the stored marks with their versions, and the
    cells the judge may not write (recused)."""

    trade: Trade
    criteria: list[Criterion]
    aspects: list[Aspect]
    rows: list[EntrantLine]
    cells: dict[tuple[int, int], tuple[Decimal, int]]
    recused: dict[int, Problem]
    writable: bool
    status_problem: Problem | None


def sheet(user: User, trade: Trade, criterion_id: int | None = None,
          locale: str = "zh") -> Sheet:
    """The user's own sheet for the trade (or one criterion of it)."""
    require_judge(user, trade)
    criteria = _scheme(trade)
    chosen = [c for c in criteria if criterion_id is None or c.id == criterion_id] or criteria
    aspects = [a for c in chosen for a in c.aspects]
    panel = load_panel(trade)
    rows = [line for line in entrant_lines(trade, user, locale=locale)
            if line.status == EntrantStatus.REGISTERED]
    recused = {}
    for line in rows:
        if problem := panel.recusal(user.id, line.id):
            recused[line.id] = problem
    aspect_ids = [a.id for a in aspects]
    cells = {(s.entrant_id, s.aspect_id): (s.value, s.version) for s in db.session.execute(
        sa.select(Score.entrant_id, Score.aspect_id, Score.value, Score.version)
        .where(Score.trade_id == trade.id, Score.judge_id == user.id,
               Score.aspect_id.in_(aspect_ids)))}
    status_problem = _status_problem(trade)
    return Sheet(trade=trade, criteria=criteria, aspects=aspects, rows=rows, cells=cells,
                 recused=recused, writable=status_problem is None, status_problem=status_problem)


@dataclass
class EntrantMarks:
    """Every judge's marks for one entrant (the chief judge's resolution page)."""

    entrant: EntrantLine
    aspects: list[Aspect]
    judges: list[User]
    cells: dict[tuple[int, int], tuple[Decimal, int]]  # (judge id, aspect id) -> (value, version)
    disputed: set[int]
    recused: dict[int, Problem]


def entrant_marks(user: User, trade: Trade, entrant_id: int, locale: str = "zh") -> EntrantMarks:
    """The chief judge's view of one entrant: every judge's mark on every aspect."""
    if not can_oversee(user, trade):
        raise NotAllowed(Problem(NOT_CHIEF))
    lines = entrant_lines(trade, user, ids=[entrant_id], locale=locale)
    if not lines:
        raise NotAllowed(Problem(N_("This entrant is not in this trade.")))
    aspects = [a for c in _scheme(trade) for a in c.aspects]
    panel = load_panel(trade)
    cells = {(s.judge_id, s.aspect_id): (s.value, s.version) for s in db.session.execute(
        sa.select(Score.judge_id, Score.aspect_id, Score.value, Score.version)
        .where(Score.trade_id == trade.id, Score.entrant_id == entrant_id))}
    judge_ids = set(panel.judges) | {j for j, _a in cells}
    judges = sorted(db.session.scalars(sa.select(User).where(User.id.in_(judge_ids))),
                    key=lambda u: u.username)
    disputed = {d.aspect_id for d in discrepancies(trade) if d.entrant_id == entrant_id}
    recused = {j: p for j in judge_ids if (p := panel.recusal(j, entrant_id))}
    return EntrantMarks(lines[0], aspects, judges, cells, disputed, recused)


def my_trades(user: User) -> list[tuple[JudgeAssignment, int, int]]:
    """The user's trades with how many of their own marks are entered and how many cells their
    sheet has (a grouped count, not a query per trade)."""
    assignments = db.session.scalars(
        sa.select(JudgeAssignment).where(JudgeAssignment.user_id == user.id)
        .options(joinedload(JudgeAssignment.trade))).all()
    trade_ids = [a.trade_id for a in assignments]
    entered = dict(db.session.execute(
        sa.select(Score.trade_id, sa.func.count(Score.id))
        .where(Score.judge_id == user.id, Score.trade_id.in_(trade_ids))
        .group_by(Score.trade_id)).all())
    entrants = dict(db.session.execute(
        sa.select(Entrant.trade_id, sa.func.count(Entrant.id))
        .where(Entrant.trade_id.in_(trade_ids), Entrant.status == EntrantStatus.REGISTERED)
        .group_by(Entrant.trade_id)).all())
    aspects = dict(db.session.execute(
        sa.select(Criterion.trade_id, sa.func.count(Aspect.id)).join(Aspect)
        .where(Criterion.trade_id.in_(trade_ids)).group_by(Criterion.trade_id)).all())
    return [(a, entered.get(a.trade_id, 0), entrants.get(a.trade_id, 0) * aspects.get(a.trade_id, 0))
            for a in sorted(assignments, key=lambda a: a.trade.code)]


def event_overview(event: Event) -> list[tuple[Trade, int, int]]:
    """Every trade of the event with its count of marks and of active entrants."""
    trades = db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)
                                .order_by(Trade.code)).all()
    marks = dict(db.session.execute(
        sa.select(Score.trade_id, sa.func.count(Score.id)).join(Trade)
        .where(Trade.event_id == event.id).group_by(Score.trade_id)).all())
    entrants = dict(db.session.execute(
        sa.select(Entrant.trade_id, sa.func.count(Entrant.id)).join(Trade)
        .where(Trade.event_id == event.id, Entrant.status == EntrantStatus.REGISTERED)
        .group_by(Entrant.trade_id)).all())
    return [(t, marks.get(t.id, 0), entrants.get(t.id, 0)) for t in trades]


# --- declared conflicts ------------------------------------------------------------------------

def declare_conflict(event: Event, actor: User, judge: User | None,
                     contestant: Contestant | None = None,
                     delegation: Delegation | None = None, reason: str = "") -> Conflict:
    """Declare that ``judge`` must not mark ``contestant`` (their entrant) or anyone of
    ``delegation``. Marks the judge already gave them are deleted (and logged), unless a trade
    concerned is signed off: then nothing changes until it is unlocked."""
    problems: dict[str | None, Problem] = {}
    if judge is None or judge.event_id != event.id or judge.role not in SCORING:
        problems["judge"] = Problem(N_("Choose a judge of this event."))
    if contestant is None and delegation is None:
        problems["target"] = Problem(N_("Name a contestant or a delegation."))
    if contestant is not None and delegation is not None:
        problems["target"] = Problem(N_("Name a contestant or a delegation, not both."))
    if contestant is not None and contestant.event_id != event.id:
        problems["contestant"] = Problem(N_("No such contestant in this event."))
    if delegation is not None and delegation.event_id != event.id:
        problems["delegation"] = Problem(N_("No such delegation in this event."))
    if problems:
        raise Invalid(problems)
    exists = sa.select(Conflict.id).where(Conflict.user_id == judge.id)
    exists = exists.where(Conflict.contestant_id == contestant.id) if contestant else \
        exists.where(Conflict.delegation_id == delegation.id)
    if db.session.scalar(exists) is not None:
        raise Invalid({None: Problem(N_("This conflict is declared already."))})
    entrant_filter = (Score.entrant_id == contestant.entrant_id) if contestant else \
        Score.entrant_id.in_(sa.select(Entrant.id).where(Entrant.delegation_id == delegation.id))
    stale = db.session.execute(sa.select(Score.id, Score.trade_id, Score.entrant_id,
                                         Score.aspect_id, Score.value, Score.version)
                               .where(Score.judge_id == judge.id, entrant_filter)).all()
    try:
        trade_ids = {row.trade_id for row in stale}
        if trade_ids and not _hold_open(trade_ids):
            db.session.rollback()
            raise NotAllowed(Problem(N_("The judge has marks for this entrant in a trade that is "
                                        "not open; unlock it first.")))
        conflict = Conflict(user_id=judge.id, contestant=contestant, delegation=delegation,
                            reason=reason.strip()[:300])
        db.session.add(conflict)
        why = f"conflict of interest: {reason.strip()}"[:500]
        for trade_id in sorted(trade_ids):
            changes = [_Change(CellKey(judge.id, r.entrant_id, r.aspect_id), trade_id, None,
                               r.version, "") for r in stale if r.trade_id == trade_id]
            _saved, conflicts = _write(actor, event.id, changes, why)
            if conflicts:
                db.session.rollback()
                raise NotAllowed(Problem(N_("Marks changed meanwhile; try again.")))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Invalid({None: Problem(N_("This conflict is declared already."))}) from None
    except Exception:
        db.session.rollback()
        raise
    return conflict


def remove_conflict(conflict: Conflict) -> None:
    try:
        db.session.delete(conflict)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def conflicts_of(event: Event) -> list[Conflict]:
    return db.session.scalars(
        sa.select(Conflict).join(User, User.id == Conflict.user_id).where(User.event_id == event.id)
        .options(joinedload(Conflict.user), joinedload(Conflict.contestant),
                 joinedload(Conflict.delegation)).order_by(User.username, Conflict.id)).all()


# --- the audit log -----------------------------------------------------------------------------

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


# --- the printable blank marking sheet ---------------------------------------------------------

def blank_sheet(trade: Trade, viewer: User, translate, locale: str = "zh") -> bytes:
    """A blank marking sheet for the trade as Excel, one row per active entrant and one column
    per aspect (code and maximum), to fill by hand and import later."""
    aspects = [a for c in _scheme(trade) for a in c.aspects]
    lines = [line for line in entrant_lines(trade, viewer, locale=locale)
             if line.status == EntrantStatus.REGISTERED]
    blind = trade.uses_anonymous_codes and not trade.codes_revealed
    headers = [translate("Code") if blind else translate("Number")]
    if not blind:
        headers.append(translate("Entrant"))
    headers += [f"{a.criterion.code}/{a.code} ({format_mark(a.max_mark) if a.kind != AspectKind.JUDGEMENT else '0-3'})"
                for a in aspects]
    rows = [[line.label] + ([] if blind else [line.name]) + [""] * len(aspects) for line in lines]
    title = f"{trade.code} {trade.name(locale)}"
    return write_workbook([SheetSpec(
        title=trade.code, headers=headers, rows=rows, title_lines=[
            title, translate("Judge:") + " ____________    " + translate("Signature:")
            + " ____________    " + translate("Date:") + " ____________"],
        widths=[10] + ([] if blind else [16]) + [12] * len(aspects))])
