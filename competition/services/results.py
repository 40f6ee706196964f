"""Results: provisional results from the marks, publication, amendments, the embargo, the medal
table and the public view of it all.

- :func:`compute` derives a trade's provisional results from its marks (scoring.trade_totals),
  the scaling of the trade (or event), the trade's tie-break chain and the effective award rule,
  with the pure rules of ``competition.domain``. Organizers, supervisors and the trade's chief
  judge see them; the public never does.
- :func:`publish` freezes them as version 1 (:class:`ResultVersion` with a :class:`ResultLine`
  per entrant); :func:`amend` adds a later version with its reason. Versions are never changed,
  so public pages show exactly what was published, and the awards of every version stay known.
- An event-level embargo hides every result until :func:`release` (closing ceremony).
- The medal table counts the latest published version of each non-demonstration trade: tiers and
  excellence, never titles, one line per entrant (a team counts once).

Public data is cached in this process, keyed by event and ``Event.results_version``.
:func:`results_changed` is the one place that drops it: every change of public results calls it
inside its transaction, which also bumps the version in the database so that other processes'
caches and the pages' ETags move on too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from competition.domain import medal_table as medals
from competition.domain.awards import Award, Tier, decide_awards
from competition.domain.messages import N_, Problem
from competition.domain.publication import award_changes, publication_problem
from competition.domain.ranking import EntrantScore, TieBreak, rank
from competition.domain.scaling import Scaling, apply_scaling
from competition.extensions import db
from competition.models import (Criterion, Delegation, Entrant, Event, ResultLine, ResultVersion,
                                Role, Trade, TradeStatus, User)
from competition.models.base import utcnow
from competition.services import scoring, setup
from competition.services.errors import Invalid, NotAllowed, committing

ORGANIZING = (Role.ADMINISTRATOR, Role.ORGANIZER)
NOT_ORGANIZER = N_("Only an organizer of this event may do this.")
PUBLISH_RACE = N_("Someone published these results at the same time; reload the page.")
CRITERION_KEY = "criterion:"


# --- plain data: what a page, the API or the CLI shows ----------------------------------------

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
        return self.en if locale == "en" and self.en else self.zh


@dataclass(frozen=True)
class CriterionHead:
    id: int
    code: str
    name_zh: str
    name_en: str

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_zh


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
        return self.delegation_name_en if locale == "en" and self.delegation_name_en \
            else self.delegation_name_zh

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
class PublishedTrade:
    """The latest published version of a trade, with the history of its amendments."""

    trade_id: int
    version: int
    published_at: datetime
    first_published_at: datetime
    amendments: tuple[Amendment, ...]
    scaling: str
    labels: str
    criteria: tuple[CriterionHead, ...]
    lines: tuple[Line, ...]

    @property
    def amended(self) -> bool:
        return bool(self.amendments)

    @property
    def latest_amendment(self) -> Amendment | None:
        return self.amendments[-1] if self.amendments else None


@dataclass(frozen=True)
class MedalLine:
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

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name_zh


@dataclass(frozen=True)
class TradeState:
    """Where a trade stands on its way to the public: scoring state and published versions."""

    trade: Trade
    versions: int
    published_at: datetime | None
    first_published_at: datetime | None

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


# --- the cache of public data -----------------------------------------------------------------

_CACHE: dict[tuple, Any] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_LIMIT = 4096
_MISS = object()
T = TypeVar("T")


def _cached(event: Event, key: tuple, build: Callable[[], T]) -> T:
    """``build()`` once per event, results version and key, in this process."""
    full = (event.id, event.results_version, *key)
    with _CACHE_LOCK:
        value = _CACHE.get(full, _MISS)
    if value is not _MISS:
        return value
    value = build()
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[full] = value
    return value


def results_changed(event: Event) -> None:
    """The one place that drops cached public results of ``event``: call it inside the
    transaction that changes what the public sees (publication, amendment, embargo, criterion
    marks shown). It bumps ``Event.results_version`` in the database (an atomic increment, so
    concurrent publications never share a version), which retires every cache key and ETag built
    on the old version in every process, and drops this process's entries at once."""
    db.session.execute(sa.update(Event).where(Event.id == event.id)
                       .values(results_version=Event.results_version + 1)
                       .execution_options(synchronize_session=False))
    db.session.expire(event, ["results_version"])
    with _CACHE_LOCK:
        for key in [key for key in _CACHE if key[0] == event.id]:
            del _CACHE[key]


# --- access -----------------------------------------------------------------------------------

def _require_organizer(user: User | None, event: Event) -> None:
    """An organizer of the event, or an administrator; ``None`` is the command line."""
    if user is None:
        return
    if user.role not in ORGANIZING or (user.role != Role.ADMINISTRATOR and user.event_id != event.id):
        raise NotAllowed(Problem(NOT_ORGANIZER))


def can_see_provisional(user: User, trade: Trade) -> bool:
    """Organizers and supervisors of the event, and the trade's chief judge."""
    return scoring.can_oversee(user, trade)


# --- provisional results ----------------------------------------------------------------------

def _criteria(trade: Trade) -> tuple[CriterionHead, ...]:
    rows = db.session.scalars(sa.select(Criterion).where(Criterion.trade_id == trade.id)
                              .order_by(Criterion.position, Criterion.id))
    return tuple(CriterionHead(c.id, c.code, c.name_zh, c.name_en) for c in rows)


def tie_break_chain(trade: Trade, criteria: Sequence[CriterionHead]
                    ) -> tuple[list[TieBreak], dict[str, int]]:
    """The trade's tie-break chain as the ranking takes it, and the criterion id each
    ``criterion:<code>`` key names. A key naming no criterion of the trade (or a value the marks
    do not hold, such as a completion time) gives every entrant no value: it breaks no tie."""
    by_code = {c.code: c.id for c in criteria}
    chain: list[TieBreak] = []
    keys: dict[str, int] = {}
    for item in trade.tie_breaks or ():
        key = str(item.get("key", ""))
        if not key:
            continue
        chain.append(TieBreak(key, bool(item.get("higher_is_better", True))))
        if key.startswith(CRITERION_KEY) and key[len(CRITERION_KEY):] in by_code:
            keys[key] = by_code[key[len(CRITERION_KEY):]]
    return chain, keys


def _members(entrant: Entrant) -> tuple[Member, ...]:
    return tuple(Member(m.id, m.name, m.competitor_number) for m in entrant.members)


def compute(trade: Trade) -> TradeResults:
    """The trade's provisional results from its marks now.

    Final score: the trade total, scaled by the trade's scaling (else the event's) over the
    entrants that compete (status registered, with marks). Entrants with no mark at all and
    withdrawn, absent or disqualified entrants are listed unranked. Ranking follows the trade's
    tie-break chain; awards follow the effective award rule (the trade's override, else the
    event's). Titles are named in both languages as the rule names them.
    """
    event = trade.event
    criteria = _criteria(trade)
    totals = scoring.trade_totals(trade)
    entrants = db.session.scalars(
        sa.select(Entrant).where(Entrant.trade_id == trade.id)
        .options(selectinload(Entrant.members), joinedload(Entrant.delegation))).all()
    marked = {entrant_id: total for entrant_id, total in totals.items()
              if any(mark is not None for mark in total.aspects.values())}
    competing = {e.id: marked[e.id].total for e in entrants
                 if e.id in marked and e.status == "registered"}
    scaling = Scaling(trade.scaling or event.scaling or Scaling.RAW)
    scores = apply_scaling(scaling, competing)

    chain, keys = tie_break_chain(trade, criteria)
    ranked = rank(
        (EntrantScore(
            e.id, scores.get(e.id) if e.id in marked else None, str(e.status.value),
            {key: marked[e.id].criteria.get(cid) for key, cid in keys.items()} if e.id in marked
            else {})
         for e in entrants), chain)

    stored_rule = setup.effective_rule(trade)
    awards = decide_awards(ranked, setup.to_domain(stored_rule))
    english = {t["name_zh"]: t.get("name_en") or "" for t in stored_rule.titles or ()}
    by_id = {e.id: e for e in entrants}
    lines = []
    for place in ranked:
        entrant = by_id[place.entrant_id]
        total = marked.get(entrant.id)
        award = awards[entrant.id]
        lines.append(Line(
            entrant_id=entrant.id, place=place.place, tied=place.tied, status=place.status,
            total=total.total if total else None, score=place.total if place.place else None,
            tier=int(award.tier) if award.tier else None, excellence=award.excellence,
            titles=tuple(Title(name, english.get(name, "")) for name in award.titles),
            criteria=dict(total.criteria) if total else {},
            number="/".join(m.competitor_number for m in entrant.members),
            name=entrant.display_name(), members=_members(entrant),
            delegation_id=entrant.delegation_id, delegation_code=entrant.delegation.code,
            delegation_name_zh=entrant.delegation.name_zh,
            delegation_name_en=entrant.delegation.name_en,
            complete=total.complete if total else False, anonymous_code=entrant.anonymous_code))
    return TradeResults(trade.id, scaling.value, stored_rule.labels, criteria, tuple(lines))


def provisional(trade: Trade, viewer: User) -> TradeResults:
    """:func:`compute` as ``viewer`` may see it: under blind judging, until the codes are
    revealed, a judge (the chief judge too) sees each entrant's anonymous code instead of its
    name, number and delegation. NotAllowed for anyone but organizers, supervisors and the
    trade's chief judge."""
    if not can_see_provisional(viewer, trade):
        raise NotAllowed(Problem(N_("Only organizers, supervisors and the trade's chief judge "
                                    "see provisional results.")))
    computed = compute(trade)
    if scoring.shows_identity(trade, viewer):
        return computed
    hidden = tuple(replace(line, name=line.anonymous_code or "?", number="", members=(),
                           delegation_code="", delegation_name_zh="", delegation_name_en="")
                   for line in computed.lines)
    return replace(computed, lines=hidden)


# --- publication ------------------------------------------------------------------------------

def _freeze(version: ResultVersion, results: TradeResults) -> None:
    version.scaling = results.scaling
    version.labels = results.labels
    version.criteria = [{"id": c.id, "code": c.code, "name_zh": c.name_zh, "name_en": c.name_en}
                        for c in results.criteria]
    for position, line in enumerate(results.lines, start=1):
        version.lines.append(ResultLine(
            entrant_id=line.entrant_id, delegation_id=line.delegation_id, position=position,
            place=line.place, tied=line.tied, status=line.status, total=line.total,
            score=line.score, tier=line.tier, excellence=line.excellence,
            titles=[{"zh": t.zh, "en": t.en} for t in line.titles],
            criteria={str(k): str(v) for k, v in line.criteria.items()},
            number=line.number[:200], name=line.name[:300],
            members=[{"contestant_id": m.contestant_id, "name": m.name, "number": m.number}
                     for m in line.members],
            delegation_code=line.delegation_code, delegation_name_zh=line.delegation_name_zh,
            delegation_name_en=line.delegation_name_en))


def _add_version(trade: Trade, user: User | None, amending: bool, reason: str) -> ResultVersion:
    """Check the rule and add the next version of the trade's results (no commit). The trade's
    row is locked first (PostgreSQL), so an unlock cannot slip in between check and write."""
    status = db.session.scalar(sa.select(Trade.status).where(Trade.id == trade.id)
                               .with_for_update())
    versions = db.session.scalar(sa.select(sa.func.count(ResultVersion.id))
                                 .where(ResultVersion.trade_id == trade.id)) or 0
    reason = (reason or "").strip()
    if problem := publication_problem(status == TradeStatus.SIGNED_OFF, versions, amending, reason):
        if problem.column:
            raise Invalid({problem.column: problem})
        raise NotAllowed(problem)
    version = ResultVersion(event_id=trade.event_id, trade_id=trade.id, number=versions + 1,
                            is_amendment=amending, reason=reason[:500],
                            published_by_id=user.id if user else None, published_at=utcnow())
    _freeze(version, compute(trade))
    db.session.add(version)
    return version


def publish(trade: Trade, user: User | None) -> ResultVersion:
    """Publish a signed-off trade's results (version 1). ``user`` None is the command line."""
    _require_organizer(user, trade.event)
    with committing(Problem(PUBLISH_RACE)):
        version = _add_version(trade, user, amending=False, reason="")
        results_changed(trade.event)
    return version


def amend(trade: Trade, user: User | None, reason: str) -> ResultVersion:
    """Publish corrected results of a published, signed-off trade as the next version, with the
    reason shown beside them (Invalid without a reason)."""
    _require_organizer(user, trade.event)
    with committing(Problem(PUBLISH_RACE)):
        version = _add_version(trade, user, amending=True, reason=reason)
        results_changed(trade.event)
    return version


def publish_all(event: Event, user: User | None) -> EventPublication:
    """Publish, in one transaction, every signed-off trade of the event not yet published (the
    closing ceremony). Trades that cannot be published are reported, not published."""
    _require_organizer(user, event)
    outcome = EventPublication()
    trades = db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)
                                .order_by(Trade.code)).all()
    with committing(Problem(PUBLISH_RACE)):
        for trade in trades:
            try:
                _add_version(trade, user, amending=False, reason="")
            except (NotAllowed, Invalid) as refusal:
                problem = refusal.problem if isinstance(refusal, NotAllowed) \
                    else next(iter(refusal.problems.values()))
                outcome.skipped.append((trade, problem))
            else:
                outcome.published.append(trade)
        if outcome.published:
            results_changed(event)
    return outcome


def set_embargo(event: Event, user: User | None, embargoed: bool) -> None:
    """Put the event's results under embargo (nothing public) or release them."""
    _require_organizer(user, event)
    with committing():
        event.results_embargoed = embargoed
        if not embargoed:
            event.results_released_at = utcnow()
        results_changed(event)


def release(event: Event, user: User | None) -> None:
    """Lift the embargo: every published result goes public (closing ceremony)."""
    set_embargo(event, user, False)


def set_criterion_marks_public(event: Event, user: User | None, public: bool) -> None:
    """Whether the public pages show each criterion's mark beside the total."""
    _require_organizer(user, event)
    with committing():
        event.criterion_marks_public = public
        results_changed(event)


# --- reading published results -----------------------------------------------------------------

def _line(row: ResultLine) -> Line:
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


def versions(trade: Trade) -> list[ResultVersion]:
    """Every published version of the trade, oldest first (lines not loaded)."""
    return list(db.session.scalars(
        sa.select(ResultVersion).where(ResultVersion.trade_id == trade.id)
        .options(joinedload(ResultVersion.published_by)).order_by(ResultVersion.number)))


def published(trade: Trade, number: int | None = None) -> PublishedTrade | None:
    """A published version of the trade (default the latest), whatever the embargo; None when
    the trade was never published. For organizers and exports; the public goes through
    :func:`public_trade`."""
    history = versions(trade)
    if not history:
        return None
    chosen = history[-1] if number is None else next((v for v in history if v.number == number),
                                                     None)
    if chosen is None:
        return None
    rows = db.session.scalars(sa.select(ResultLine).where(ResultLine.version_id == chosen.id)
                              .order_by(ResultLine.position))
    return PublishedTrade(
        trade_id=trade.id, version=chosen.number, published_at=chosen.published_at,
        first_published_at=history[0].published_at,
        amendments=tuple(Amendment(v.number, v.published_at, v.reason)
                         for v in history[1:chosen.number]),
        scaling=chosen.scaling, labels=chosen.labels,
        criteria=tuple(CriterionHead(c["id"], c["code"], c["name_zh"], c.get("name_en", ""))
                       for c in chosen.criteria or ()),
        lines=tuple(_line(row) for row in rows))


def changed_awards(trade: Trade, before: int, after: int) -> dict[int, tuple[Award, Award]]:
    """Entrants whose award differs between two published versions (for reissuing certificates)."""
    def awards(number: int) -> dict[int, Award]:
        version = published(trade, number)
        return {line.entrant_id: line.award for line in version.lines if line.entrant_id} \
            if version else {}
    return award_changes(awards(before), awards(after))


def is_public(event: Event) -> bool:
    """Published results of the event are public: no embargo holds them back."""
    return not event.results_embargoed


def public_trade(event: Event, trade: Trade) -> PublishedTrade | None:
    """What the public sees of the trade: its latest published version, or None when the trade
    is unpublished or the event's results are under embargo."""
    if trade.event_id != event.id or not is_public(event):
        return None
    return _cached(event, ("trade", trade.id), lambda: published(trade))


def trade_states(event: Event, trades: Iterable[Trade] | None = None) -> list[TradeState]:
    """Every trade of the event (or those given) with its number of published versions and
    dates, in two queries."""
    if trades is None:
        trades = db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)
                                    .order_by(Trade.code)).all()
    found = {trade_id: (count, last, first) for trade_id, count, last, first in db.session.execute(
        sa.select(ResultVersion.trade_id, sa.func.count(ResultVersion.id),
                  sa.func.max(ResultVersion.published_at), sa.func.min(ResultVersion.published_at))
        .where(ResultVersion.event_id == event.id).group_by(ResultVersion.trade_id))}
    return [TradeState(t, *found.get(t.id, (0, None, None))) for t in trades]


def _latest_versions(event: Event) -> sa.Subquery:
    return (sa.select(ResultVersion.trade_id, sa.func.max(ResultVersion.number).label("number"))
            .where(ResultVersion.event_id == event.id).group_by(ResultVersion.trade_id).subquery())


def _award_lines(event: Event) -> list[medals.AwardLine]:
    """One line per awarded entrant of the latest published version of every non-demonstration
    trade; titles are not lines."""
    latest = _latest_versions(event)
    rows = db.session.execute(
        sa.select(ResultLine.delegation_id, ResultLine.tier, ResultLine.excellence)
        .join(ResultVersion, ResultVersion.id == ResultLine.version_id)
        .join(latest, sa.and_(latest.c.trade_id == ResultVersion.trade_id,
                              latest.c.number == ResultVersion.number))
        .join(Trade, Trade.id == ResultVersion.trade_id)
        .where(Trade.is_demonstration.is_(False),
               sa.or_(ResultLine.tier.is_not(None), ResultLine.excellence.is_(True))))
    return [medals.AwardLine(delegation_id, Tier(tier) if tier else None, bool(excellence))
            for delegation_id, tier, excellence in rows]


def medal_table(event: Event, order: str | None = None) -> list[MedalLine]:
    """The event's medal table from the latest published versions of its non-demonstration
    trades, in ``order`` (gold, total or points; default the event's), whatever the embargo:
    organizers see it before the release, the public through :func:`public_medal_table`."""
    order = medals.Order(order or event.medal_order or medals.Order.GOLD)
    lines = _cached(event, ("award-lines",), lambda: _award_lines(event))
    delegations = {d.id: d for d in db.session.scalars(
        sa.select(Delegation).where(Delegation.event_id == event.id))}
    table = medals.medal_table({i: d.name_zh for i, d in delegations.items()}, lines, order)
    return [MedalLine(row.rank, row.delegation_id, delegations[row.delegation_id].code,
                      row.name, delegations[row.delegation_id].name_en, row.gold, row.silver,
                      row.bronze, row.excellence, row.total, row.points) for row in table]


def public_medal_table(event: Event, order: str | None = None) -> list[MedalLine] | None:
    """The medal table the public sees; None under embargo."""
    return medal_table(event, order) if is_public(event) else None


def public_delegation(event: Event, delegation: Delegation) -> list[tuple[Trade, PublishedTrade,
                                                                            Line]]:
    """The delegation's entrants in the public results, trade by trade: (trade, its published
    version, the entrant's line). Empty under embargo or before any publication."""
    if not is_public(event) or delegation.event_id != event.id:
        return []
    found = []
    for state in trade_states(event):
        if not state.published:
            continue
        version = public_trade(event, state.trade)
        if version is None:
            continue
        found.extend((state.trade, version, line) for line in version.lines
                     if line.delegation_id == delegation.id)
    return found


def latest_public(event: Event, limit: int) -> list[tuple[Trade, PublishedTrade]]:
    """The most recently published trades (latest version first), for the live board."""
    if not is_public(event):
        return []
    states = [s for s in trade_states(event) if s.published]
    states.sort(key=lambda s: (s.published_at, s.trade.code), reverse=True)
    found = []
    for state in states[:limit]:
        version = public_trade(event, state.trade)
        if version is not None:
            found.append((state.trade, version))
    return found
