"""The panel: a trade's judges, who of them marks whom, and what each is expected to enter.

The rules (DOMAIN.md, "Integrity" and "Marking"):

- **Recusal (回避).** A judge never marks an entrant of their own delegation, nor an entrant a
  declared conflict of interest names (the contestant, or the whole delegation).
- **Positions.** A panel member is a judge (裁判员), the chief judge (裁判长) or a deputy chief
  judge (副裁判长).
- **Who scores.** The marks a judgement or panel-mark aspect needs come from the trade's judges
  other than the chief and deputy chief judges; a panel of chiefs and deputies only scores too.
- **Who resolves.** An entrant's marks are resolved (another judge's mark changed) by the chief
  judge unless recused from the entrant; else by a deputy chief judge who is not recused; else,
  when every one of them is, by the event's organizer (audited with the reason).
- **Measurements are entered once.** A measurement aspect has one mark per entrant, entered by
  any judge of the panel not recused from them; the others see it read-only, with who entered
  it, and may not write their own (a correction is a change of another judge's mark, by whoever
  resolves the entrant, with a reason). A trade may ask for a **second judge's confirmation**:
  then a second, different judge re-enters the value (their own mark on the cell); the same
  value confirms it, a different one is the measurement's only discrepancy.
- **Expected marks** (one definition for the judge's sheet, the chief judge's progress and the
  organizer's overview). An entrant who competes needs, per measurement aspect, one mark (two
  when the trade confirms measurements and at least two scorers may mark them; two differing
  marks count as one) and, on every judgement or panel-mark aspect, one mark from every scorer
  not recused from them (at least one). A scorer's own share of a competing entrant they may
  mark is every judgement and panel-mark aspect, and every measurement they hold a mark on or
  that still needs a mark (nobody entered it; with confirmation, not yet confirmed) — so a
  measurement somebody else entered leaves the other judges' shares.
- **Thin panel.** An entrant whom recusals leave with fewer than :data:`MIN_PANEL` judges, on a
  panel that has that many, is flagged before scoring so the organizer can add a judge.
- **Writing a mark.** A judge writes their own marks only; whoever resolves the entrant may
  change any judge's mark (to resolve a discrepancy); both only while the trade is open, for
  competing entrants, and never across a recusal — the resolver's own included.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from competition.domain.aggregation import AspectKind
from competition.domain.entrants import EntrantStatus, competes
from competition.domain.messages import N_, Problem
from competition.domain.roles import Role, organizes, scores
from competition.domain.trade_state import TradeStatus, marks_problem

MIN_PANEL = 3
"""Judges an entrant needs on a judgement or panel-mark aspect before the panel counts as thin."""

# The two reasons a judge is recused (回避) from an entrant.
RECUSALS = OWN_DELEGATION, DECLARED_CONFLICT = (
    N_("A judge may not mark an entrant of their own delegation."),
    N_("A declared conflict of interest keeps this judge from marking this entrant."))
# Why a mark may not be written, besides the trade's state and recusal (see cell_problem).
NOT_ON_PANEL, NOT_CHIEF, JUDGE_NOT_ON_PANEL, NOT_IN_SCHEME, NOT_IN_TRADE, NOT_COMPETING = (
    N_("You are not a judge of this trade."),
    N_("Only the chief judge of this trade may do this."),
    N_("This judge is not on this trade's panel."),
    N_("This aspect is not part of this trade."),
    N_("This entrant is not in this trade."),
    N_("This entrant is no longer competing (%(status)s)."))
# Why someone may not resolve an entrant's marks (see resolve_problem), one message per case.
# Why a judge may not enter a measurement another judge has entered (see measurement_problem).
MEASURED, CONFIRMED = (
    N_("Another judge has entered this measurement; ask the chief judge to correct it."),
    N_("This measurement is entered and confirmed; ask the chief judge to correct it."))
NOT_RESOLVER, CHIEF_RESOLVES, RECUSED_DEPUTY_RESOLVES, RECUSED_ORGANIZER_RESOLVES, \
    PANEL_RESOLVES = (
        N_("Only the chief judge, or a deputy chief judge when the chief judge is recused, may "
           "change another judge's mark."),
        N_("The chief judge resolves this entrant's marks; a deputy chief judge does only when "
           "the chief judge is recused."),
        N_("You are recused from this entrant: a deputy chief judge resolves their marks."),
        N_("You are recused from this entrant, and so is every deputy chief judge: the organizer "
           "resolves their marks."),
        N_("The organizer resolves an entrant's marks only when the chief judge and every deputy "
           "chief judge are recused from them."))


class Position(StrEnum):
    """A panel member's position on the trade."""

    JUDGE = "judge"
    CHIEF = "chief"
    DEPUTY = "deputy"


LEADS = (Position.CHIEF, Position.DEPUTY)
"""The positions that resolve marks and do not score (unless nobody else is on the panel)."""


class Resolution(NamedTuple):
    """Who resolves an entrant's marks: the ``position`` (None: the organizer) and the panel
    members in it who may (none for the organizer)."""

    position: Position | None
    judge_ids: tuple[int, ...]


class CellKey(NamedTuple):
    """One cell of the marks: whose mark, for which entrant, on which aspect."""

    judge_id: int
    entrant_id: int
    aspect_id: int


@dataclass(frozen=True)
class PanelEntrant:
    delegation_id: int
    status: EntrantStatus = EntrantStatus.REGISTERED


@dataclass(frozen=True)
class Panel:
    """A trade's judges and entrants and the declared conflicts between them (plain data).

    ``judges``: judge id → their :class:`Position`; ``delegation_of_judge``: judge id →
    delegation id (None: no delegation); ``declared``: (judge id, entrant id) pairs a declared
    conflict of interest keeps apart; ``confirm_measurements``: the trade asks a second judge
    to confirm every measurement.
    """

    judges: Mapping[int, Position]
    delegation_of_judge: Mapping[int, int | None]
    entrants: Mapping[int, PanelEntrant]
    declared: Collection[tuple[int, int]] = field(default_factory=frozenset)
    confirm_measurements: bool = False

    def recusal(self, judge_id: int, entrant_id: int) -> Problem | None:
        """Why the judge may not mark the entrant (own delegation, declared conflict), or None."""
        entrant = self.entrants.get(entrant_id)
        if entrant is None:
            return None
        own = self.delegation_of_judge.get(judge_id)
        if own is not None and own == entrant.delegation_id:
            return Problem(OWN_DELEGATION)
        if (judge_id, entrant_id) in self.declared:
            return Problem(DECLARED_CONFLICT)
        return None

    def is_chief(self, judge_id: int) -> bool:
        return self.judges.get(judge_id) is Position.CHIEF

    def holding(self, position: Position) -> list[int]:
        """The panel members in ``position``, by id."""
        return sorted(j for j, held in self.judges.items() if held is position)

    @property
    def chiefs(self) -> list[int]:
        return self.holding(Position.CHIEF)

    @property
    def scorers(self) -> list[int]:
        """The judges whose marks judgement and panel-mark aspects need (chief and deputy chief
        judges only when nobody else is on the trade)."""
        others = [j for j, held in self.judges.items() if held not in LEADS]
        return sorted(others or self.judges)

    def resolution(self, entrant_id: int) -> Resolution:
        """Who resolves the entrant's marks: the chief judges not recused from them; else the
        deputy chief judges not recused; else the organizer."""
        for position in LEADS:
            free = tuple(j for j in self.holding(position) if self.recusal(j, entrant_id) is None)
            if free:
                return Resolution(position, free)
        return Resolution(None, ())

    @property
    def competing(self) -> list[int]:
        return sorted(e for e, entrant in self.entrants.items() if competes(entrant.status))

    def eligible(self, entrant_id: int) -> list[int]:
        """The scorers who may mark the entrant."""
        return [j for j in self.scorers if self.recusal(j, entrant_id) is None]

    def needed(self, entrant_id: int, kind: AspectKind) -> int:
        """How many marks the entrant needs on an aspect of ``kind``: for a measurement one, two
        when the trade confirms measurements and two scorers may mark the entrant; one per
        eligible scorer (at least one) otherwise."""
        eligible = len(self.eligible(entrant_id))
        if kind is AspectKind.MEASUREMENT:
            return 2 if self.confirm_measurements and eligible >= 2 else 1
        return max(eligible, 1)

    def expected(self, kinds: Iterable[AspectKind]) -> int:
        """The marks the whole trade expects: what every competing entrant :meth:`needed` on
        every aspect (of the aspect ``kinds`` given)."""
        kinds = list(kinds)
        return sum(self.needed(e, kind) for e in self.competing for kind in kinds)

    def counted(self, entrant_id: int, kind: AspectKind, given: int, agreed: bool = True) -> int:
        """How many of the ``given`` marks of an entrant on an aspect count towards what it
        :meth:`needed` (a mark beyond that adds nothing); measurement marks that are not all
        the same (``agreed`` False: a confirmation that differs) count as one."""
        if kind is AspectKind.MEASUREMENT and not agreed:
            given = min(given, 1)
        return min(given, self.needed(entrant_id, kind))

    def shares(self, judge_id: int, entrant_id: int, kind: AspectKind,
               holders: Collection[int] = ()) -> bool:
        """Whether the cell (the entrant, an aspect of ``kind``) is in the judge's own share,
        ``holders`` being the judges with a mark on it: never for a judge who is no scorer, an
        entrant not competing or one the judge is recused from; a judgement or panel-mark
        aspect always; a measurement while the judge holds a mark on it or it still needs one
        (see the module docstring)."""
        entrant = self.entrants.get(entrant_id)
        if judge_id not in self.scorers or entrant is None or not competes(entrant.status) \
                or self.recusal(judge_id, entrant_id) is not None:
            return False
        if kind is not AspectKind.MEASUREMENT or judge_id in holders:
            return True
        return len(holders) < self.needed(entrant_id, kind)

    def expected_of(self, judge_id: int, aspects: Mapping[int, AspectKind],
                    holders: Mapping[tuple[int, int], Collection[int]] | None = None) -> int:
        """A judge's own share of the marks (:meth:`shares`) over the ``aspects`` (id → kind)
        of every entrant; ``holders``: (entrant id, aspect id) → the judges with a mark on it
        (left out: no marks yet)."""
        holders = holders or {}
        return sum(self.shares(judge_id, e, kind, holders.get((e, a), ()))
                   for e in self.competing for a, kind in aspects.items())

    def entered_of(self, judge_id: int, aspects: Mapping[int, AspectKind],
                   holders: Mapping[tuple[int, int], Collection[int]]) -> int:
        """The judge's own marks in their share (:meth:`expected_of`)."""
        return sum(judge_id in held and self.shares(judge_id, e, aspects[a], held)
                   for (e, a), held in holders.items() if a in aspects)

    def thin(self) -> dict[int, int]:
        """Competing entrants whom recusals leave with fewer than :data:`MIN_PANEL` judges
        (entrant id → judges left), on a panel that has at least that many scorers."""
        if len(self.scorers) < MIN_PANEL:
            return {}
        left = {e: len(self.eligible(e)) for e in self.competing}
        return {e: n for e, n in left.items() if n < MIN_PANEL}


@dataclass(frozen=True)
class Scorer:
    """Who is writing: the account's id and role."""

    id: int
    role: Role


def cell_problem(panel: Panel, scorer: Scorer, key: CellKey, aspect_ids: Collection[int],
                 status: TradeStatus) -> Problem | None:
    """Why ``scorer`` may not write the mark ``key`` in a trade in ``status``, or None (see the
    module docstring): the aspect and entrant belong to the trade; the scorer is a judge of its
    panel (or, resolving, its event's organizer: the service checks the event); the trade is open;
    only who :func:`resolve_problem` allows writes another judge's mark, and only a judge of the
    panel's; the entrant competes; neither the judge whose mark it is nor the scorer
    is recused from the entrant."""
    if key.aspect_id not in aspect_ids:
        return Problem(NOT_IN_SCHEME)
    entrant = panel.entrants.get(key.entrant_id)
    if entrant is None:
        return Problem(NOT_IN_TRADE)
    resolving = key.judge_id != scorer.id
    if not (resolving and organizes(scorer.role)) and (
            not scores(scorer.role) or scorer.id not in panel.judges):
        return Problem(NOT_ON_PANEL)
    if problem := marks_problem(status):
        return problem
    if resolving:
        if problem := resolve_problem(panel, scorer, key.entrant_id):
            return problem
        if key.judge_id not in panel.judges:
            return Problem(JUDGE_NOT_ON_PANEL)
    if not competes(entrant.status):
        return Problem(NOT_COMPETING, {"status": entrant.status.value})
    return panel.recusal(key.judge_id, key.entrant_id) or panel.recusal(scorer.id, key.entrant_id)


def measurement_problem(panel: Panel, key: CellKey, holders: Collection[int]) -> Problem | None:
    """Why the judge ``key.judge_id`` may not write their own mark on a measurement cell that
    ``holders`` (the judges with a mark on it) already hold, or None: a judge's existing mark
    is theirs to change; another judge's entry refuses every other one unless the trade
    confirms measurements and the cell still waits for its confirmation (a second judge's)."""
    others = set(holders) - {key.judge_id}
    if key.judge_id in holders or not others:
        return None
    if panel.confirm_measurements and len(others) < panel.needed(key.entrant_id,
                                                                 AspectKind.MEASUREMENT):
        return None
    return Problem(CONFIRMED if panel.confirm_measurements else MEASURED)


def resolve_problem(panel: Panel, scorer: Scorer, entrant_id: int) -> Problem | None:
    """Why ``scorer`` may not resolve the entrant's marks (see :meth:`Panel.resolution`), or
    None; one message per case."""
    resolution = panel.resolution(entrant_id)
    if resolution.position is None:
        return None if organizes(scorer.role) else _refusal(panel, scorer, entrant_id, resolution)
    if scores(scorer.role) and scorer.id in resolution.judge_ids:
        return None
    return _refusal(panel, scorer, entrant_id, resolution)


def _refusal(panel: Panel, scorer: Scorer, entrant_id: int, resolution: Resolution) -> Problem:
    if organizes(scorer.role):
        return Problem(PANEL_RESOLVES)
    if not scores(scorer.role) or panel.judges.get(scorer.id) not in LEADS:
        return Problem(NOT_RESOLVER)
    if panel.recusal(scorer.id, entrant_id) is None or resolution.position is Position.CHIEF:
        return Problem(CHIEF_RESOLVES)
    if resolution.position is Position.DEPUTY:
        return Problem(RECUSED_DEPUTY_RESOLVES)
    return Problem(RECUSED_ORGANIZER_RESOLVES)
