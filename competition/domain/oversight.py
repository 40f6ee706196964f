"""Oversight of the marking (the chief judge's tools): discrepancies and judge severity.

- A **discrepancy** is a disagreement the chief judge must resolve (see
  :func:`~competition.domain.aggregation.find_discrepancies`): measurement marks that differ,
  judgement scores further apart than the trade's threshold.
- **Severity** compares each judge with the rest of the panel (see
  :func:`~competition.domain.aggregation.judge_severity`). To compare aspects of any size, every
  mark is first put on a common scale, percent of the aspect's range: a judgement score point is
  100/3 %, a panel mark point 100/max %. Measurements are not judged, so they have no severity.
- A judge whose mean deviation reaches :data:`OUT_OF_LINE` percent (harsh or lenient) is **out
  of line**: the chief judge should look at their marks.
"""

from __future__ import annotations

from decimal import Decimal

from competition.domain.aggregation import (
    JUDGEMENT_TOP,
    AspectKind,
    Discrepancy,
    Severity,
    find_discrepancies,
    judge_severity,
)

OUT_OF_LINE = Decimal(10)
"""Mean deviation, in percent of the aspects' range, from which a judge is out of line."""

__all__ = ["OUT_OF_LINE", "Discrepancy", "Severity", "find_discrepancies", "judge_severity",
           "out_of_line", "severity_scale"]


def severity_scale(kind: AspectKind, max_mark: Decimal) -> Decimal | None:
    """What one point of a mark on this aspect is worth in percent of its range (None for a
    measurement, which has no severity): 100/3 for a judgement score, 100/max for a panel mark."""
    if kind is AspectKind.JUDGEMENT:
        return Decimal(100) / JUDGEMENT_TOP
    if kind is AspectKind.PANEL:
        return Decimal(100) / max_mark
    return None


def out_of_line(mean_deviation: Decimal) -> bool:
    """Whether a judge's mean deviation (in percent) is far enough off to be looked at."""
    return abs(mean_deviation) >= OUT_OF_LINE
