"""Oversight of the marking (the chief judge's tools): discrepancies and judge severity.

- A **discrepancy** is a disagreement the chief judge must resolve (see
  :func:`find_discrepancies`): measurement marks that differ,
  judgement scores further apart than the trade's threshold.
- **Severity** compares each judge with the rest of the panel (see
  :func:`judge_severity`). To compare aspects of any size, every
  mark is first put on a common scale, percent of the aspect's range: a judgement score point is
  100/3 %, a panel mark point 100/max %. Measurements are not judged, so they have no severity.
- A judge whose mean deviation reaches :data:`OUT_OF_LINE` percent (harsh or lenient) is **out
  of line**: the chief judge should look at their marks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from competition.domain.aggregation import JUDGEMENT_TOP, AspectKind, AspectSpec, round_half_up

OUT_OF_LINE = Decimal(10)
"""Mean deviation, in percent of the aspects' range, from which a judge is out of line."""


@dataclass(frozen=True)
class Discrepancy:
    """Judges of one aspect who disagree more than the rule allows: ``spread`` is the highest
    minus the lowest mark, ``judge_ids`` the judges holding the highest or the lowest mark."""

    aspect_id: int
    spread: Decimal
    judge_ids: tuple[int, ...]


@dataclass(frozen=True)
class Severity:
    """A judge's mean signed deviation from the rest of the panel over ``count`` panels:
    negative is harsh, positive lenient."""

    mean_deviation: Decimal
    count: int


def severity_scale(kind: AspectKind, max_mark: Decimal) -> Decimal | None:
    """What one point of a mark on this aspect is worth in percent of its range (None for a
    measurement, which has no severity): 100/3 for a judgement score, 100/max for a panel mark."""
    if kind is AspectKind.JUDGEMENT:
        return Decimal(100) / JUDGEMENT_TOP
    if kind is AspectKind.PANEL_MARK:
        return Decimal(100) / max_mark
    return None


def out_of_line(mean_deviation: Decimal) -> bool:
    """Whether a judge's mean deviation (in percent) is far enough off to be looked at."""
    return abs(mean_deviation) >= OUT_OF_LINE


def find_discrepancies(
    spec: AspectSpec,
    marks_by_judge: Mapping[int, Decimal],
    threshold: Decimal = Decimal(1),
    panel_threshold: Decimal | None = None,
) -> Discrepancy | None:
    """The disagreement the chief judge must resolve for one entrant's aspect, or ``None``.

    - measurement: any two judges differ (a measurement is one agreed value).
    - judgement: the highest minus the lowest score is more than ``threshold`` (default 1:
      scores 1 and 3 conflict, 2 and 3 do not).
    - panel: the spread is more than ``panel_threshold``; ``None`` (default) never flags, as
      the trimmed mean or median already absorbs an outlier.
    Fewer than two marks never disagree.
    """
    if len(marks_by_judge) < 2:
        return None
    low, high = min(marks_by_judge.values()), max(marks_by_judge.values())
    spread = high - low
    if spec.kind is AspectKind.MEASUREMENT:
        limit: Decimal | None = Decimal(0)
    elif spec.kind is AspectKind.JUDGEMENT:
        limit = threshold
    else:
        limit = panel_threshold
    if limit is None or spread <= limit:
        return None
    judges = tuple(sorted(j for j, mark in marks_by_judge.items() if mark in (low, high)))
    return Discrepancy(aspect_id=spec.id, spread=spread, judge_ids=judges)


def judge_severity(
    panels: Iterable[Mapping[int, Decimal]], places: int = 2
) -> dict[int, Severity]:
    """How harsh or lenient each judge is, to spot a judge who marks out of line.

    For every panel (one entrant's aspect: judge id → mark) with at least two judges, a judge's
    deviation is their mark minus the mean of the *other* judges' marks (leaving the judge out,
    so a harsh judge does not pull the reference towards themselves). A judge's severity is the
    mean of their deviations, rounded half up to ``places``; negative is harsh, positive lenient.
    Compare judges on aspects with a similar maximum: deviations are in marks.
    """
    totals: dict[int, Decimal] = {}
    counts: dict[int, int] = {}
    for panel in panels:
        if len(panel) < 2:
            continue
        panel_sum = sum(panel.values(), Decimal(0))
        others = len(panel) - 1
        for judge, mark in panel.items():
            deviation = mark - (panel_sum - mark) / others
            totals[judge] = totals.get(judge, Decimal(0)) + deviation
            counts[judge] = counts.get(judge, 0) + 1
    return {
        judge: Severity(round_half_up(totals[judge] / counts[judge], places), counts[judge])
        for judge in totals
    }
