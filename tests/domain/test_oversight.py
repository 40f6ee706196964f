"""The chief judge's oversight: severity on a common scale and the out-of-line threshold."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from competition.domain.aggregation import AspectKind
from competition.domain.oversight import OUT_OF_LINE, judge_severity, out_of_line, severity_scale


@pytest.mark.parametrize("kind, maximum, scale", [
    (AspectKind.JUDGEMENT, D(6), D(100) / 3),  # a score point is a third of the 0-3 range
    (AspectKind.PANEL, D(20), D(5)),           # a mark of 20 points: 5 % per point
    (AspectKind.PANEL, D("2.5"), D(40)),
    (AspectKind.MEASUREMENT, D(10), None),     # measurements are not judged
], ids=["judgement", "panel-20", "panel-2.5", "measurement"])
def test_severity_scale(kind, maximum, scale):
    assert severity_scale(kind, maximum) == scale


def test_a_judge_is_compared_on_the_common_scale():
    """Judge 1 gives 12 of 20 where the others give 10: 10 % above them, out of line; on a
    judgement aspect the same judge's 2 against 2 and 2 is exactly in line."""
    panel_mark = {1: D(12) * 5, 2: D(10) * 5, 3: D(10) * 5}
    judgement = {1: D(2) * D(100) / 3, 2: D(2) * D(100) / 3, 3: D(2) * D(100) / 3}
    found = judge_severity([panel_mark, judgement])
    assert found[1].mean_deviation == D("5.00")  # (10 + 0) / 2
    assert found[2].mean_deviation == D("-2.50")  # (−5 + 0) / 2


@pytest.mark.parametrize("deviation, flagged", [
    (D("9.99"), False), (D(10), True), (D("-10"), True), (D("-9.5"), False), (D(0), False),
])
def test_out_of_line_from_the_threshold(deviation, flagged):
    assert OUT_OF_LINE == 10
    assert out_of_line(deviation) is flagged
