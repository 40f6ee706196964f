"""What judges see and save: the score sheet, the chief judge's view of one entrant, "my
trades" (the printable blank marking sheet is in ``blank``).

A sheet is saved whole or not at all (:func:`save_sheet`): every cell is checked with the
domain's rule for writing a mark (:func:`competition.domain.panel.cell_problem`) and the aspect's
limits; a change to another judge's mark, and every change once the trade has ever been signed
off, needs a reason. Under blind judging a judge's page carries codes only: names and
delegations are not even loaded.

Nothing on these pages gives away what the codes hide: entrants are named by opaque keys
(``keys``), never by their ids, which follow registration; under blind judging a judge's sheet
and blank sheet leave out the entrants the judge is recused from (a code marked "recused" would
be their own delegation's), and the chief judge's view of an entrant counts the recused judges
without naming them (a judge's delegation would give the code's away).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from competition.domain.aggregation import AspectKind, validate_mark
from competition.domain.blind import entrant_label, is_blind, sees_identity
from competition.domain.entrants import EntrantStatus, competes
from competition.domain.messages import N_, Problem
from competition.domain.panel import CellKey, Panel, Scorer, cell_problem, measurement_problem
from competition.domain.trade_state import marks_problem
from competition.extensions import db
from competition.models import (
    Aspect,
    AuditAction,
    AuditEntry,
    Criterion,
    Entrant,
    JudgeAssignment,
    Score,
    Trade,
    User,
)
from competition.services.authority import can_oversee, require_judge
from competition.services.errors import NotAllowed
from competition.services.judging import keys, marks, scheme, shares
from competition.services.judging.oversight import discrepancies
from competition.services.judging.panel import load_panel

REASON_REQUIRED = N_("Give a reason for this change.")
TWICE = N_("This cell appears twice.")


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


@dataclass
class SaveResult:
    """What a save did: ``saved`` changes, or why nothing was saved (stale cells, problems per
    cell, problems of the whole sheet)."""

    saved: int = 0
    stale: list[marks.StaleCell] = field(default_factory=list)
    problems_by_cell: dict[CellKey, Problem] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.stale or self.problems_by_cell or self.problems)


def _ever_signed_off(trade: Trade) -> bool:
    return db.session.scalar(sa.select(AuditEntry.id).where(
        AuditEntry.trade_id == trade.id, AuditEntry.action == AuditAction.LOCK).limit(1)) is not None


def save_sheet(user: User, trade: Trade, cells: Sequence[CellInput], reason: str = "") -> SaveResult:
    """Save a score sheet whole or not at all (see the module docstring).

    Raises NotAllowed when the user may not write in this trade at all (not one of its judges,
    not open, locked); cells the user may not write, bad values and cells changed by somebody
    else since the sheet was loaded come back in the result, with nothing saved.
    """
    require_judge(user, trade)
    if problem := marks_problem(trade.status):
        raise NotAllowed(problem)
    return write_cells(user, trade, load_panel(trade), cells, reason)


def write_cells(user: User, trade: Trade, panel: Panel, cells: Sequence[CellInput],
                reason: str) -> SaveResult:
    """:func:`save_sheet` once the user may write in the trade at all."""
    reason = (reason or "").strip()
    aspects = scheme.aspects_by_id(trade)
    scorer = Scorer(user.id, user.role)
    result = SaveResult()
    changes = []
    seen: set[CellKey] = set()
    for cell in cells:
        key = CellKey(cell.judge_id if cell.judge_id is not None else user.id,
                      cell.entrant_id, cell.aspect_id)
        if key in seen:
            result.problems_by_cell[key] = Problem(TWICE)
            continue
        seen.add(key)
        if problem := cell_problem(panel, scorer, key, aspects, trade.status):
            result.problems_by_cell[key] = problem
            continue
        value = marks.parse_mark(cell.value)
        if isinstance(value, Problem):
            result.problems_by_cell[key] = value
            continue
        if value is not None and (problem := validate_mark(aspects[key.aspect_id].spec(), value)):
            result.problems_by_cell[key] = problem
            continue
        changes.append(marks.MarkChange(key, trade.id, value, cell.version, cell.value))
    kinds = {a: aspect.kind for a, aspect in aspects.items()}
    result.problems_by_cell.update(shares.measurement_refusals(
        panel, user.id, trade.id, [c.key for c in changes if c.value is not None], kinds))
    if not changes or result.problems_by_cell:
        return result
    needs_reason = any(c.key.judge_id != user.id for c in changes) or _ever_signed_off(trade)
    if needs_reason and not reason:
        result.problems.append(Problem(REASON_REQUIRED))
        return result
    try:
        result.saved = marks.record(user, trade.event_id, changes, reason)
    except marks.StaleCells as stale:
        result.stale = stale.cells
    return result


def sheet_size(trade_id: int, one_entrant: bool = False) -> int:
    """How many cells a POST of the trade's sheet may carry, at most: every entrant × every
    aspect (a judge's sheet), or every judge of the panel or with marks × every aspect (the
    chief judge's view of one entrant); 0 for no such trade."""
    aspects = db.session.scalar(sa.select(sa.func.count(Aspect.id)).join(Criterion)
                                .where(Criterion.trade_id == trade_id)) or 0
    if one_entrant:
        rows = (db.session.scalar(sa.select(sa.func.count(JudgeAssignment.id))
                                  .where(JudgeAssignment.trade_id == trade_id)) or 0) \
            + (db.session.scalar(sa.select(sa.func.count(sa.distinct(Score.judge_id)))
                                 .where(Score.trade_id == trade_id)) or 0)
    else:
        rows = db.session.scalar(sa.select(sa.func.count(Entrant.id))
                                 .where(Entrant.trade_id == trade_id)) or 0
    return aspects * rows


# --- what a judge's sheet shows ----------------------------------------------------------------

@dataclass(frozen=True)
class EntrantLine:
    """An entrant as a page shows it; ``name`` and ``delegation`` are empty under blind judging.
    ``key`` names the entrant in the page's fields and links (``id`` never leaves the server)."""

    id: int
    key: str
    label: str
    name: str
    delegation: str
    status: EntrantStatus


def entrant_lines(trade: Trade, viewer: User, ids: Iterable[int] | None = None,
                  locale: str = "zh") -> list[EntrantLine]:
    """The trade's entrants in sheet order: by code when blind, else by draw number."""
    identity = sees_identity(viewer.role, trade.uses_anonymous_codes, trade.codes_revealed)
    blind = is_blind(trade.uses_anonymous_codes, trade.codes_revealed)
    query = sa.select(Entrant).where(Entrant.trade_id == trade.id)
    if ids is not None:
        query = query.where(Entrant.id.in_(list(ids)))
    if identity:
        query = query.options(selectinload(Entrant.members), joinedload(Entrant.delegation))
    if blind:
        query = query.order_by(Entrant.anonymous_code.is_(None), Entrant.anonymous_code, Entrant.id)
    else:
        query = query.order_by(Entrant.draw_number.is_(None), Entrant.draw_number, Entrant.id)
    return [EntrantLine(
        id=entrant.id,
        key=keys.entrant_key(trade.id, entrant.id),
        label=entrant_label(blind, entrant.anonymous_code, entrant.draw_number, entrant.id),
        name=entrant.display_name() if identity else "",
        delegation=entrant.delegation.name(locale) if identity else "",
        status=entrant.status) for entrant in db.session.scalars(query)]


@dataclass
class Sheet:
    """A judge's score sheet: entrants × aspects, the stored marks with their versions, and the
    cells the judge may not write (recused; under blind judging those entrants are not on the
    sheet at all). ``measured``: the measurements other judges entered that this judge may not
    write ((entrant id, aspect id) → (mark, who entered it)); ``to_confirm``: those waiting for
    this judge's confirmation (→ who entered them; the mark is not shown: the judge measures
    again). ``complete`` of the ``marked`` entrants the judge marks have every mark of their
    own share (``Panel.shares``) of the aspects shown; ``entered`` of ``expected``: the judge's
    own marks of the whole trade, as the chief judge's progress counts them."""

    trade: Trade
    criteria: list[Criterion]
    aspects: list[Aspect]
    rows: list[EntrantLine]
    cells: dict[tuple[int, int], tuple[Decimal, int]]
    recused: dict[int, Problem]
    writable: bool
    status_problem: Problem | None
    criterion_id: int | None = None  # the criterion shown alone; None: the whole sheet
    marked: int = 0
    complete: int = 0
    measured: dict[tuple[int, int], tuple[Decimal, str]] = field(default_factory=dict)
    to_confirm: dict[tuple[int, int], str] = field(default_factory=dict)
    entered: int = 0
    expected: int = 0


def sheet(user: User, trade: Trade, criterion_id: int | None = None,
          locale: str = "zh") -> Sheet:
    """The user's own sheet for the trade (or one criterion of it; an unknown criterion shows
    the whole sheet)."""
    require_judge(user, trade)
    criteria = scheme.criteria(trade)
    chosen = [c for c in criteria if c.id == criterion_id] or criteria
    aspects = [a for c in chosen for a in c.aspects]
    panel = load_panel(trade)
    rows, recused = marked_by(user, trade, entrant_lines(trade, user, locale=locale), panel)
    held = shares.holders([trade.id]).get(trade.id, {})
    cells = {(s.entrant_id, s.aspect_id): (s.value, s.version) for s in db.session.execute(
        sa.select(Score.entrant_id, Score.aspect_id, Score.value, Score.version)
        .where(Score.trade_id == trade.id, Score.judge_id == user.id,
               Score.aspect_id.in_([a.id for a in aspects])))}
    status_problem = marks_problem(trade.status)
    marked = [row for row in rows if row.id not in recused]
    kinds = {a.id: a.kind for c in criteria for a in c.aspects}
    judges = shares.judges_of(held)
    measured, to_confirm = _measurements(panel, user, marked, aspects, held)
    return Sheet(trade=trade, criteria=criteria, aspects=aspects, rows=rows, cells=cells,
                 recused=recused, writable=status_problem is None, status_problem=status_problem,
                 criterion_id=chosen[0].id if len(chosen) == 1 and len(criteria) > 1 else None,
                 marked=len(marked), complete=sum(
                     all((row.id, a.id) in cells or not panel.shares(
                         user.id, row.id, a.kind, judges.get((row.id, a.id), ())) for a in aspects)
                     for row in marked),
                 measured=measured, to_confirm=to_confirm,
                 entered=panel.entered_of(user.id, kinds, judges),
                 expected=panel.expected_of(user.id, kinds, judges))


def _measurements(panel: Panel, user: User, rows: list[EntrantLine], aspects: list[Aspect],
                  held: shares.Holders) -> tuple[dict, dict]:
    """The sheet's read-only measurements and those waiting for the user's confirmation."""
    cells = [(row.id, a.id) for row in rows for a in aspects if a.kind == AspectKind.MEASUREMENT
             and held.get((row.id, a.id)) and user.id not in dict(held[(row.id, a.id)])]
    names = dict(db.session.execute(sa.select(User.id, User.name).where(
        User.id.in_({held[c][0][0] for c in cells}))).all()) if cells else {}
    measured, to_confirm = {}, {}
    for cell in cells:
        first, value = held[cell][0]
        if measurement_problem(panel, CellKey(user.id, *cell), [j for j, _v in held[cell]]):
            measured[cell] = (value, names.get(first, ""))
        else:
            to_confirm[cell] = names.get(first, "")
    return measured, to_confirm


def marked_by(user: User, trade: Trade, lines: list[EntrantLine], panel: Panel | None = None
              ) -> tuple[list[EntrantLine], dict[int, Problem]]:
    """The competing entrants a sheet of ``user`` lists, and why the user may not mark some of
    them. Under blind judging (for this user) those are left out: a code marked "recused"
    would name the user's own delegation's entrant."""
    panel = panel or load_panel(trade)
    rows = [line for line in lines if competes(line.status)]
    recused = {line.id: problem for line in rows if (problem := panel.recusal(user.id, line.id))}
    if not sees_identity(user.role, trade.uses_anonymous_codes, trade.codes_revealed):
        return [line for line in rows if line.id not in recused], {}
    return rows, recused


@dataclass
class EntrantMarks:
    """Every judge's marks for one entrant (the chief judge's resolution page).

    ``recused`` names the judges recused from the entrant, with the reason, for a viewer who
    sees who the entrant is. Under blind judging they are not among ``judges``: ``unnamed``
    holds their marks, if any, one dict per judge in no telling order, so that the page can say
    "recused" without saying who (whose delegation would give the code's away)."""

    entrant: EntrantLine
    aspects: list[Aspect]
    judges: list[User]
    cells: dict[tuple[int, int], tuple[Decimal, int]]  # (judge id, aspect id) -> (value, version)
    disputed: set[int]
    recused: dict[int, Problem]
    unnamed: list[dict[int, Decimal]] = field(default_factory=list)


def entrant_marks(user: User, trade: Trade, entrant_key: str, locale: str = "zh") -> EntrantMarks:
    """The chief judge's view of one entrant (named by its key): every judge's mark on every
    aspect."""
    if not can_oversee(user, trade):
        raise NotAllowed(Problem(N_("Only the chief judge of this trade may do this.")))
    entrant_id = keys.entrant_of(trade, entrant_key)
    lines = entrant_lines(trade, user, ids=[entrant_id], locale=locale) if entrant_id else []
    if not lines:
        raise NotAllowed(Problem(N_("This entrant is not in this trade.")))
    panel = load_panel(trade)
    cells = {(s.judge_id, s.aspect_id): (s.value, s.version) for s in db.session.execute(
        sa.select(Score.judge_id, Score.aspect_id, Score.value, Score.version)
        .where(Score.trade_id == trade.id, Score.entrant_id == entrant_id))}
    judge_ids = set(panel.judges) | {j for j, _a in cells}
    judges = sorted(db.session.scalars(sa.select(User).where(User.id.in_(judge_ids))),
                    key=lambda u: u.username)
    disputed = {d.aspect_id for d in discrepancies(trade) if d.entrant_id == entrant_id}
    recused = {j: p for j in judge_ids if (p := panel.recusal(j, entrant_id))}
    found = EntrantMarks(lines[0], scheme.aspects(trade), judges, cells, disputed, recused)
    if not sees_identity(user.role, trade.uses_anonymous_codes, trade.codes_revealed):
        found.judges = [j for j in judges if j.id not in recused]
        found.unnamed = sorted(({a: v for (j, a), (v, _version) in cells.items() if j == judge}
                                for judge in recused), key=lambda marks: sorted(marks.items()))
        found.cells = {k: v for k, v in cells.items() if k[0] not in recused}
        found.recused = {}
    return found
