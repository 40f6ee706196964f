"""Marking rules: from the judges' scores to an aspect mark, a criterion mark and a trade total.

Scores are the one stored truth; everything here derives from them and is reproducible. All marks
are :class:`~decimal.Decimal` and every rounding is ROUND_HALF_UP, as the ISU and Chinese rules
publish them (2.345 → 2.35, never banker's rounding).

Aspect kinds (DOMAIN.md, "Marking"):

- **measurement**: one agreed mark in 0..max. Several judges may enter it; they must agree.
- **judgement**: each judge gives 0, 1, 2 or 3; mark = max × mean(scores) / 3.
- **panel**: each judge gives a mark in 0..max; the aspect mark is the mean, the trimmed mean or
  the median of the panel, as the trade says.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from competition.domain.messages import N_, Problem


class AspectKind(StrEnum):
    """How an aspect is marked: measured against a tolerance, a judgement on the 0-3 scale, or a
    mark from every judge of the panel, aggregated (``PANEL_MARK``; its stored value stays
    "panel"). Not to be confused with the panel of judges itself (``domain.panel``)."""

    MEASUREMENT = "measurement"
    JUDGEMENT = "judgement"
    PANEL_MARK = "panel"


JUDGEMENT_SCORES = (0, 1, 2, 3)
JUDGEMENT_TOP = Decimal(3)


class Aggregation(StrEnum):
    MEAN = "mean"
    TRIMMED_MEAN = "trimmed_mean"
    MEDIAN = "median"


@dataclass(frozen=True)
class AspectSpec:
    """One scored line of a criterion.

    ``aggregation`` and ``trimmed_count`` apply to panel aspects only. ``weight`` multiplies the
    aspect mark (like the ISU component factor). ``decimals`` is how many decimal places an entered
    mark may have; a judgement score is always a whole number 0..3.
    """

    id: int
    kind: AspectKind
    max_mark: Decimal
    aggregation: Aggregation = Aggregation.MEAN
    trimmed_count: int = 1
    weight: Decimal = Decimal(1)
    decimals: int = 2


@dataclass(frozen=True)
class CriterionSpec:
    """A part of a trade's marking scheme. ``weight`` is in percent points (e.g. 30 and 70), or
    ``None`` when the trade total is the plain sum of its aspect marks."""

    id: int
    weight: Decimal | None
    aspects: tuple[AspectSpec, ...]


@dataclass(frozen=True)
class TradeTotal:
    """An entrant's result in a trade.

    ``aspects``: weighted aspect mark, ``None`` while the aspect has no mark yet.
    ``criteria``: per criterion, the sum of its weighted aspect marks (unmarked aspects count 0).
    ``total``: the trade total; ``complete``: every aspect has all the marks it needs.
    """

    aspects: dict[int, Decimal | None]
    criteria: dict[int, Decimal]
    total: Decimal
    complete: bool


def mark_range(kind: AspectKind, max_mark: Decimal) -> tuple[Decimal, Decimal]:
    """The marks a judge may enter on an aspect: 0..3 for a judgement score, else 0..max."""
    return (Decimal(0), JUDGEMENT_TOP) if kind is AspectKind.JUDGEMENT else (Decimal(0), max_mark)


def uses_aggregation(kind: AspectKind) -> bool:
    """Only a panel mark combines the judges' marks by the aspect's aggregation (a judgement
    always takes the mean, a measurement is one agreed mark)."""
    return kind is AspectKind.PANEL_MARK


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero (2.345 → 2.35)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def validate_mark(spec: AspectSpec, value: Decimal) -> Problem | None:
    """Why one judge's entered mark is not acceptable for ``spec``, or ``None`` if it is.

    A mark must be a finite number. A judgement score must be exactly 0, 1, 2 or 3. Any other
    mark must lie in 0..max and have no more decimal places than the aspect allows (trailing zeros
    do not count: 7.50 is fine with one decimal).
    """
    if not value.is_finite():
        return Problem(N_("Mark must be a number."))
    if spec.kind is AspectKind.JUDGEMENT:
        if value not in JUDGEMENT_SCORES:
            return Problem(N_("A judgement score must be 0, 1, 2 or 3."))
        return None
    if not 0 <= value <= spec.max_mark:
        return Problem(N_("Mark must be between 0 and %(max)s."), {"max": spec.max_mark})
    if value.scaleb(spec.decimals) % 1 != 0:
        return Problem(
            N_("Mark may have at most %(decimals)s decimal places."), {"decimals": spec.decimals}
        )
    return None


def _mean(marks: Sequence[Decimal]) -> Decimal:
    return sum(marks, Decimal(0)) / len(marks)


def trimmed_mean(marks: Sequence[Decimal], count: int) -> Decimal:
    """Mean after dropping the ``count`` highest and ``count`` lowest marks (去掉最高分和最低分).

    Equal extremes lose one instance per ``count``: 9, 9, 8, 7, 7 with count 1 keeps 9, 8, 7.
    With too few marks to trim (n ≤ 2 × count) nothing is dropped and the plain mean is used, so
    a panel that lost judges still gets a mark.
    """
    ordered = sorted(marks)
    if len(ordered) > 2 * count > 0:
        ordered = ordered[count:-count]
    return _mean(ordered)


def aspect_mark(spec: AspectSpec, marks: Sequence[Decimal], places: int = 2) -> Decimal | None:
    """The aspect mark from the judges' ``marks``, rounded half up to ``places``; ``None`` when
    there are no marks yet.

    - measurement: the agreed mark. If judges entered different marks the mean is returned so
      that a provisional total exists; :func:`find_discrepancies` flags the disagreement for the
      chief judge, who resolves it by correcting the scores.
    - judgement: max × mean(scores) / 3 (scores 2, 3, 3 on max 2 → 2 × 8/9 = 1.78).
    - panel: the mean, the trimmed mean (see :func:`trimmed_mean`) or the median (an even count
      takes the mean of the two middle marks), as ``spec.aggregation`` says.

    The unrounded value is computed exactly (to 28 digits) and rounded once.
    """
    if not marks:
        return None
    if spec.kind is AspectKind.JUDGEMENT:
        value = spec.max_mark * sum(marks, Decimal(0)) / (JUDGEMENT_TOP * len(marks))
    elif spec.kind is AspectKind.MEASUREMENT or spec.aggregation is Aggregation.MEAN:
        value = _mean(marks)
    elif spec.aggregation is Aggregation.TRIMMED_MEAN:
        value = trimmed_mean(marks, spec.trimmed_count)
    else:
        value = statistics.median(marks)
    return round_half_up(value, places)


def weighted(spec: AspectSpec, mark: Decimal, places: int = 2) -> Decimal:
    """The aspect mark times the aspect weight, rounded half up to ``places``.

    Rounding order is part of the rule: the aspect mark is rounded first (by :func:`aspect_mark`),
    then each weighted mark is rounded, then the rounded values are summed. This is how the ISU
    computes a component total: Σ round(panel × factor, 2).
    """
    return round_half_up(mark * spec.weight, places)


def _criterion_max(criterion: CriterionSpec) -> Decimal:
    return sum((weighted(a, a.max_mark) for a in criterion.aspects), Decimal(0))


def _weights(criteria: Sequence[CriterionSpec]) -> list[Decimal] | None:
    weights = [c.weight for c in criteria if c.weight is not None]
    if not weights:
        return None
    if len(weights) != len(criteria):
        raise ValueError("either every criterion has a weight or none has")
    return weights


def scheme_max_total(criteria: Sequence[CriterionSpec]) -> Decimal:
    """The highest trade total the scheme allows: the sum of the weights when criteria are
    weighted (e.g. 30 + 70 = 100), otherwise the sum of the weighted aspect maxima."""
    weights = _weights(criteria)
    if weights is not None:
        return sum(weights, Decimal(0))
    return sum((_criterion_max(c) for c in criteria), Decimal(0))


def trade_total(
    criteria: Sequence[CriterionSpec],
    marks: Mapping[int, Sequence[Decimal]],
    expected_judges: Mapping[int, int] | None = None,
) -> TradeTotal:
    """An entrant's trade total from the judges' ``marks`` per aspect id.

    Criterion mark = Σ weighted aspect marks (an aspect without marks counts 0).
    Without criterion weights the total is the plain sum of the criterion marks. With weights
    (percent points) the total is Σ weight × criterion mark / criterion maximum, rounded half up
    to 2 decimals once, at the end (theory 85/100 at 30 % and practical 78/100 at 70 % → 80.10).
    A mix of weighted and unweighted criteria is a configuration error (ValueError; see
    :func:`validate_scheme`).

    ``complete``: every aspect has at least as many marks as it needs,
    ``expected_judges[aspect_id]`` (default 1: a measurement is entered once; the panel rule
    says how many a confirmed measurement or a judgement or panel aspect needs).
    """
    weights = _weights(criteria)
    expected = expected_judges or {}
    aspects: dict[int, Decimal | None] = {}
    sums: dict[int, Decimal] = {}
    complete = True
    for criterion in criteria:
        criterion_sum = Decimal(0)
        for spec in criterion.aspects:
            given = marks.get(spec.id, ())
            needed = expected.get(spec.id, 1)
            complete = complete and len(given) >= needed
            mark = aspect_mark(spec, given)
            if mark is None:
                aspects[spec.id] = None
            else:
                aspects[spec.id] = weighted(spec, mark)
                criterion_sum += aspects[spec.id]
        sums[criterion.id] = criterion_sum
    if weights is None:
        total = sum(sums.values(), Decimal(0))
    else:
        total = round_half_up(
            sum(
                (w * sums[c.id] / _criterion_max(c) for w, c in zip(weights, criteria)),
                Decimal(0),
            )
        )
    return TradeTotal(aspects=aspects, criteria=sums, total=total, complete=complete)


def validate_scheme(
    criteria: Sequence[CriterionSpec], panel_size: int | None = None
) -> list[Problem]:
    """Everything wrong with a marking scheme, in order; empty when it can be used.

    Rules: at least one criterion, each with at least one aspect; aspect ids unique; either every
    criterion has a weight (> 0) or none has; a weighted criterion's maximum is above 0; every
    aspect has a maximum and a weight above 0, 0..6 decimals and a maximum that can be entered
    with those decimals; a judgement aspect always uses the mean; a trimmed mean drops at least 1.
    With ``panel_size`` (judges per panel) a trimmed mean that would drop every mark is reported:
    it would silently fall back to the plain mean.
    """
    problems: list[Problem] = []
    if not criteria:
        return [Problem(N_("The marking scheme has no criteria."))]
    weighted_count = sum(c.weight is not None for c in criteria)
    if 0 < weighted_count < len(criteria):
        problems.append(
            Problem(N_("Either every criterion has a weight or none has."), column="weight")
        )
    seen: set[int] = set()
    for criterion in criteria:
        ids = {"criterion": criterion.id}
        if not criterion.aspects:
            problems.append(Problem(N_("Criterion %(criterion)s has no aspects."), ids))
        if criterion.weight is not None and criterion.weight <= 0:
            problems.append(
                Problem(N_("The weight of criterion %(criterion)s must be above 0."), ids, "weight")
            )
        elif criterion.weight is not None and criterion.aspects and _criterion_max(criterion) <= 0:
            problems.append(
                Problem(N_("The maximum of criterion %(criterion)s must be above 0."), ids)
            )
        for spec in criterion.aspects:
            if spec.id in seen:
                problems.append(
                    Problem(N_("Aspect %(aspect)s appears twice."), {"aspect": spec.id})
                )
            seen.add(spec.id)
            problems.extend(_aspect_problems(spec, panel_size))
    return problems


def _aspect_problems(spec: AspectSpec, panel_size: int | None) -> Iterable[Problem]:
    ids = {"aspect": spec.id}
    if not spec.max_mark.is_finite() or spec.max_mark <= 0:
        yield Problem(N_("The maximum mark of aspect %(aspect)s must be above 0."), ids, "max_mark")
    if not spec.weight.is_finite() or spec.weight <= 0:
        yield Problem(N_("The weight of aspect %(aspect)s must be above 0."), ids, "weight")
    if spec.kind is AspectKind.JUDGEMENT:
        if spec.aggregation is not Aggregation.MEAN:
            yield Problem(
                N_("A judgement aspect (%(aspect)s) always uses the mean of the scores."),
                ids,
                "aggregation",
            )
        return
    if not 0 <= spec.decimals <= 6:
        yield Problem(N_("Aspect %(aspect)s may allow 0 to 6 decimal places."), ids, "decimals")
    elif spec.max_mark.is_finite() and spec.max_mark.scaleb(spec.decimals) % 1 != 0:
        yield Problem(
            N_("The maximum mark of aspect %(aspect)s has more decimals than a mark may have."),
            ids,
            "max_mark",
        )
    if spec.kind is AspectKind.PANEL_MARK and spec.aggregation is Aggregation.TRIMMED_MEAN:
        if spec.trimmed_count < 1:
            yield Problem(
                N_("A trimmed mean must drop at least 1 highest and 1 lowest mark."),
                ids,
                "trimmed_count",
            )
        elif panel_size is not None and panel_size <= 2 * spec.trimmed_count:
            yield Problem(
                N_(
                    "Dropping %(count)s highest and %(count)s lowest marks needs more than"
                    " %(needed)s judges; with %(judges)s the plain mean is used."
                ),
                {
                    "count": spec.trimmed_count,
                    "needed": 2 * spec.trimmed_count,
                    "judges": panel_size,
                },
                "trimmed_count",
            )
