"""Awards of one trade: which ranked entrant gets which medal or prize, excellence and titles.

An award rule belongs to the event and may be overridden per trade (DOMAIN.md, Awards). Every rule
is decided from a ranking (see :mod:`competition.domain.ranking`) and, where the rule names a score
(threshold, tie window, minimum), from the scores it applies to. The steps, in order:

1. The **method** gives tiers to ranked entrants: places, quotas, ratios or tie window.
2. The **small field** rule drops the tiers a field of that size may not have.
3. **Excellence** goes to ranked entrants left without a tier who meet its condition.
4. **Titles** go to ranked entrants by place.
5. The **minimum score** takes every award (tier, excellence, title) from an entrant below it.

Unranked entrants (withdrawn, absent, disqualified, no marks) never get an award.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import IntEnum, StrEnum

from competition.domain.messages import N_, Problem
from competition.domain.ranking import Ranked


class Tier(IntEnum):
    """The three award tiers: gold/silver/bronze or 1st/2nd/3rd prize; a lower value is better."""

    FIRST = 1
    SECOND = 2
    THIRD = 3


class Method(StrEnum):
    """How tiers are given: see :func:`decide_awards`."""

    PLACES = "places"
    QUOTAS = "quotas"
    RATIOS = "ratios"
    TIE_WINDOW = "tie_window"


class Labels(StrEnum):
    """How the tiers are named: medals (金牌/银牌/铜牌) or prizes (一等奖/二等奖/三等奖)."""

    MEDALS = "medals"
    PRIZES = "prizes"


TIER_LABELS: Mapping[str, Mapping[Tier, str]] = {
    Labels.MEDALS: {Tier.FIRST: N_("Gold"), Tier.SECOND: N_("Silver"), Tier.THIRD: N_("Bronze")},
    Labels.PRIZES: {
        Tier.FIRST: N_("First prize"),
        Tier.SECOND: N_("Second prize"),
        Tier.THIRD: N_("Third prize"),
    },
}
EXCELLENCE_LABEL = N_("Excellence")


class Excellence(StrEnum):
    """Who gets excellence (优胜奖 / Medallion for Excellence) among entrants without a tier."""

    TOP_HALF = "top_half"
    THRESHOLD = "threshold"


class Rounding(StrEnum):
    """How a ratio of the field becomes a whole number of awards."""

    HALF_UP = "half_up"
    FLOOR = "floor"
    CEIL = "ceil"


_ROUNDING_MODES = {
    Rounding.HALF_UP: ROUND_HALF_UP,
    Rounding.FLOOR: ROUND_FLOOR,
    Rounding.CEIL: ROUND_CEILING,
}


def tier_label(tier: Tier, labels: str = Labels.MEDALS) -> str:
    """The untranslated name of ``tier`` in the rule's label style ("medals" or "prizes")."""
    return TIER_LABELS[labels][tier]


@dataclass(frozen=True)
class TitleRule:
    """A title given beside the tiers (e.g. 技术能手) to ranked entrants placed ``up_to_place``
    or better."""

    name: str
    up_to_place: int


@dataclass(frozen=True)
class AwardRule:
    """An award rule: the method and its parameters, and the optional additions.

    ``small_field`` is None (off) or pairs ``(min_field_size, tiers_awarded)``, e.g.
    ``((6, 3), (5, 2), (4, 1))``: 6 or more ranked entrants → 3 tiers, 5 → 2, 4 → 1, fewer → none.
    """

    method: str = Method.PLACES
    quotas: tuple[int, int, int] = (1, 1, 1)
    ratios: tuple[Decimal, Decimal, Decimal] = (Decimal("0.1"), Decimal("0.2"), Decimal("0.3"))
    ratio_rounding: str = Rounding.HALF_UP
    ratio_min_one: bool = True
    tie_window: Decimal = Decimal(2)
    excellence: str | None = None
    excellence_threshold: Decimal | None = None
    minimum_score: Decimal | None = None
    small_field: tuple[tuple[int, int], ...] | None = None
    titles: tuple[TitleRule, ...] = ()
    labels: str = Labels.MEDALS


@dataclass(frozen=True)
class Award:
    """What one entrant won: a tier (or None), excellence, and titles. Excellence never comes
    with a tier."""

    tier: Tier | None
    excellence: bool
    titles: tuple[str, ...]


NO_AWARD = Award(None, False, ())


def validate_rule(rule: AwardRule) -> list[Problem]:
    """Everything wrong with ``rule``, as translatable problems whose ``column`` names the field.

    Checked: the method, rounding, excellence kind and labels are known values; three quotas,
    none negative; three ratios, each between 0 and 1, summing to at most 1; the tie window not
    negative; a threshold present when excellence is by threshold; the minimum score not negative;
    small-field pairs with a field size of at least 1, tiers between 0 and 3, no size twice, and
    no smaller field given more tiers than a larger one; titles named, unique, up to a place of
    at least 1.
    """
    problems: list[Problem] = []

    def need(ok: bool, message: str, column: str, **params: object) -> None:
        if not ok:
            problems.append(Problem(message, dict(params), column))

    need(rule.method in set(Method), N_("Unknown award method %(value)s."), "method",
         value=rule.method)
    need(len(rule.quotas) == 3, N_("Give three quotas: first, second and third."), "quotas")
    need(all(quota >= 0 for quota in rule.quotas), N_("A quota cannot be negative."), "quotas")
    need(len(rule.ratios) == 3, N_("Give three ratios: first, second and third."), "ratios")
    need(all(0 <= ratio <= 1 for ratio in rule.ratios),
         N_("A ratio must be between 0 and 1."), "ratios")
    need(sum(rule.ratios, Decimal(0)) <= 1,
         N_("The ratios add up to more than the whole field."), "ratios")
    need(rule.ratio_rounding in set(Rounding),
         N_("Unknown rounding %(value)s."), "ratio_rounding", value=rule.ratio_rounding)
    need(rule.tie_window >= 0, N_("The tie window cannot be negative."), "tie_window")
    need(rule.excellence is None or rule.excellence in set(Excellence),
         N_("Unknown excellence rule %(value)s."), "excellence", value=rule.excellence)
    need(rule.excellence != Excellence.THRESHOLD or rule.excellence_threshold is not None,
         N_("Excellence by threshold needs a threshold."), "excellence_threshold")
    need(rule.minimum_score is None or rule.minimum_score >= 0,
         N_("The minimum score cannot be negative."), "minimum_score")
    need(rule.labels in set(Labels), N_("Unknown award labels %(value)s."), "labels",
         value=rule.labels)

    if rule.small_field is not None:
        sizes = [size for size, _ in rule.small_field]
        need(all(size >= 1 for size in sizes),
             N_("A small-field size must be at least 1."), "small_field")
        need(all(0 <= tiers <= 3 for _, tiers in rule.small_field),
             N_("A small field gives between 0 and 3 tiers."), "small_field")
        need(len(set(sizes)) == len(sizes),
             N_("A small-field size is given twice."), "small_field")
        by_size = sorted(rule.small_field)
        need(all(a[1] <= b[1] for a, b in zip(by_size, by_size[1:])),
             N_("A smaller field cannot get more tiers than a larger one."), "small_field")

    names = [title.name for title in rule.titles]
    need(all(name.strip() for name in names), N_("A title needs a name."), "titles")
    need(len(set(names)) == len(names), N_("A title is given twice."), "titles")
    need(all(title.up_to_place >= 1 for title in rule.titles),
         N_("A title goes to place %(place)s or better: the place must be at least 1."),
         "titles", place=min((t.up_to_place for t in rule.titles), default=1))
    return problems


def ratio_counts(
    ratios: Sequence[Decimal],
    field_size: int,
    rounding: str = Rounding.HALF_UP,
    min_one: bool = True,
) -> tuple[int, ...]:
    """How many entrants each tier takes when tiers are given by ratio of ``field_size`` entrants.

    Rounded per tier, not cumulatively: tier t takes round(ratio_t × N), by ``rounding`` (half up,
    floor or ceil). With ``min_one``, a tier whose ratio is above 0 takes at least 1 while entrants
    are left. A tier never takes more than the entrants left after the tiers above it.
    Examples (10/20/30 %, half up): N=1 → 1/0/0, N=2 → 1/1/0, N=5 → 1/1/2, N=7 → 1/1/2,
    N=10 → 1/2/3.
    """
    mode = _ROUNDING_MODES[Rounding(rounding)]
    left = field_size
    counts: list[int] = []
    for ratio in ratios:
        count = int((ratio * field_size).to_integral_value(rounding=mode))
        if min_one and ratio > 0 and left > 0:
            count = max(count, 1)
        count = min(count, left)
        counts.append(count)
        left -= count
    return tuple(counts)


def tier_quotas(rule: AwardRule, field_size: int) -> tuple[int, ...]:
    """The number of places each tier covers under a place-based method, for a field of
    ``field_size`` ranked entrants: places → 1/1/1, quotas → the rule's quotas, ratios →
    :func:`ratio_counts`. The tie-window method has no quotas (ValueError)."""
    if rule.method == Method.PLACES:
        return (1, 1, 1)
    if rule.method == Method.QUOTAS:
        return tuple(rule.quotas)
    if rule.method == Method.RATIOS:
        return ratio_counts(rule.ratios, field_size, rule.ratio_rounding, rule.ratio_min_one)
    raise ValueError(f"method {rule.method} gives tiers without quotas")


def tiers_allowed(small_field: Sequence[tuple[int, int]] | None, field_size: int) -> int:
    """How many tiers a field of ``field_size`` ranked entrants may have: 3 when the small-field
    rule is off, else the tiers of the largest listed size the field reaches, 0 when it reaches
    none."""
    if small_field is None:
        return 3
    for size, tiers in sorted(small_field, reverse=True):
        if field_size >= size:
            return tiers
    return 0


def _tiers_by_quota(field: Sequence[Ranked], quotas: Sequence[int]) -> dict[int, Tier]:
    """Place decides: tier t for places above the quotas of the better tiers, up to their sum
    with tier t's own quota."""
    bounds: list[int] = []
    for quota in quotas:
        bounds.append((bounds[-1] if bounds else 0) + quota)
    tiers: dict[int, Tier] = {}
    for entrant in field:
        assert entrant.place is not None
        for tier, bound in zip(Tier, bounds):
            if entrant.place <= bound:
                tiers[entrant.entrant_id] = tier
                break
    return tiers


def _tiers_by_window(
    field: Sequence[Ranked], score_of: Mapping[int, Decimal], window: Decimal
) -> dict[int, Tier]:
    """WorldSkills medal groups; see :func:`decide_awards`."""
    remaining = sorted(field, key=lambda r: (r.place, r.entrant_id))
    tiers: dict[int, Tier] = {}
    place = 1
    bronze_group_formed = False
    while remaining and place <= Tier.THIRD:
        floor = score_of[remaining[0].entrant_id] - window
        group = [r for r in remaining if score_of[r.entrant_id] >= floor]
        for entrant in group:
            tiers[entrant.entrant_id] = Tier(place)
        bronze_group_formed = place == Tier.THIRD
        remaining = [r for r in remaining if score_of[r.entrant_id] < floor]
        place += len(group)
    if tiers and not bronze_group_formed:
        floor = min(score_of[entrant_id] for entrant_id in tiers) - window
        for entrant in remaining:
            if score_of[entrant.entrant_id] >= floor:
                tiers[entrant.entrant_id] = Tier.THIRD
    return tiers


def decide_awards(
    ranked: Sequence[Ranked],
    rule: AwardRule,
    scores: Mapping[int, Decimal] | None = None,
) -> dict[int, Award]:
    """The award of every entrant of ``ranked`` (one trade's ranking) under ``rule``.

    ``scores`` are the scores the threshold, tie window and minimum apply to (e.g. the WorldSkills
    scale), keyed by entrant id; by default each entrant's ranked total. N is the number of ranked
    entrants (place not None). Every entrant of ``ranked`` gets an :class:`Award`; an unranked one
    gets ``NO_AWARD``.

    Tiers, by ``rule.method``:

    - **places**: places 1, 2, 3 → first, second, third tier. Two entrants tied at place 1 both
      get the first tier; the next is place 3 and gets the third; nobody gets the second.
    - **quotas** (n1, n2, n3): the place decides. First tier to places 1..n1, second to places
      n1+1..n1+n2, third to places n1+n2+1..n1+n2+n3. Entrants tied at a boundary share the
      better place, so all of them get the better tier: the quota overflows, a tie is never split,
      and the overflow uses up the places of the tiers below (places 1, 1, 3 under 1/2/3: two
      firsts, one second).
    - **ratios** (r1, r2, r3): quotas computed from N by :func:`ratio_counts` (per tier, rounded
      by ``ratio_rounding``, default half up; at least 1 while entrants are left when
      ``ratio_min_one``), then applied as quotas.
    - **tie_window** (WorldSkills, window W): a medal group is the best remaining entrant and
      every remaining entrant whose score is within W of that entrant's score (score ≥ best − W,
      inclusive; measured from the group's best, never chained). Groups take places in turn, a
      group of k taking k places: the group starting at place 1 gets gold, at place 2 silver, at
      place 3 bronze. When no group starts at place 3 (three or more golds, or one gold and two or
      more silvers), the remaining entrants within W of the lowest-scoring medallist get bronze.
      Example, W=2: 542, 541, 540, 539, 529 → gold, gold, gold, bronze, none.

    Then:

    - **small field** (off when ``rule.small_field`` is None): a field of N may only have the
      tiers :func:`tiers_allowed` gives; a better tier is kept, a tier beyond the limit is not
      given (and not passed down). A field allowed no tier gets no award of any kind.
    - **excellence**, to ranked entrants without a tier: ``top_half`` when 2 × place ≤ N (the
      place within the top half of the field); ``threshold`` when score ≥ the threshold.
    - **titles**: each title to every ranked entrant with place ≤ its ``up_to_place``, whatever
      its tier.
    - **minimum score**: an entrant whose score is below it gets no award of any kind, whatever
      its place; a score equal to it is not below it. Nobody moves up into the award taken away.
    """
    field = [entrant for entrant in ranked if entrant.place is not None]
    field_size = len(field)
    score_of: dict[int, Decimal] = {}
    for entrant in field:
        score = scores[entrant.entrant_id] if scores is not None else entrant.total
        if score is None:
            raise ValueError(f"ranked entrant {entrant.entrant_id} has no score")
        score_of[entrant.entrant_id] = score

    if rule.method == Method.TIE_WINDOW:
        tiers = _tiers_by_window(field, score_of, rule.tie_window)
    else:
        tiers = _tiers_by_quota(field, tier_quotas(rule, field_size))
    allowed = tiers_allowed(rule.small_field, field_size)

    awards = {entrant.entrant_id: NO_AWARD for entrant in ranked}
    if allowed == 0:
        return awards
    for entrant in field:
        assert entrant.place is not None
        score = score_of[entrant.entrant_id]
        if rule.minimum_score is not None and score < rule.minimum_score:
            continue
        tier = tiers.get(entrant.entrant_id)
        if tier is not None and tier > allowed:
            tier = None
        excellence = tier is None and (
            (rule.excellence == Excellence.TOP_HALF and 2 * entrant.place <= field_size)
            or (
                rule.excellence == Excellence.THRESHOLD
                and rule.excellence_threshold is not None
                and score >= rule.excellence_threshold
            )
        )
        titles = tuple(t.name for t in rule.titles if entrant.place <= t.up_to_place)
        awards[entrant.entrant_id] = Award(tier, excellence, titles)
    return awards
