"""The chief judge's oversight: severity on a common scale and the out-of-line threshold."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from competition.domain.aggregation import AspectKind, AspectSpec
from competition.domain.oversight import (
    OUT_OF_LINE,
    Discrepancy,
    Severity,
    find_discrepancies,
    judge_severity,
    out_of_line,
    severity_scale,
)

MEASURE = AspectSpec(1, AspectKind.MEASUREMENT, D(10))
JUDGE = AspectSpec(2, AspectKind.JUDGEMENT, D(2))
PANEL_MEAN = AspectSpec(3, AspectKind.PANEL_MARK, D(10))


@pytest.mark.parametrize("kind, maximum, scale", [
    (AspectKind.JUDGEMENT, D(6), D(100) / 3),  # a score point is a third of the 0-3 range
    (AspectKind.PANEL_MARK, D(20), D(5)),           # a mark of 20 points: 5 % per point
    (AspectKind.PANEL_MARK, D("2.5"), D(40)),
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


# --- discrepancies and judge severity ---------------------------------------------------------


@pytest.mark.parametrize(
    "spec, scores, kwargs, expected",
    [
        (JUDGE, {1: D(1), 2: D(3), 3: D(2)}, {}, Discrepancy(2, D(2), (1, 2))),  # 3 − 1 > 1
        (JUDGE, {1: D(2), 2: D(3), 3: D(3)}, {}, None),  # 3 − 2 = 1, not more than 1
        (JUDGE, {1: D(1), 2: D(3), 3: D(2)}, {"threshold": D(2)}, None),
        (JUDGE, {1: D(2), 2: D(3)}, {"threshold": D(0)}, Discrepancy(2, D(1), (1, 2))),
        (JUDGE, {1: D(0), 2: D(0), 3: D(3)}, {}, Discrepancy(2, D(3), (1, 2, 3))),
        (MEASURE, {1: D("7.5"), 2: D("7.5")}, {}, None),
        (MEASURE, {1: D("7.5"), 2: D("7.6")}, {}, Discrepancy(1, D("0.1"), (1, 2))),
        (MEASURE, {4: D("7.5"), 2: D("7.5"), 3: D("7.0")}, {}, Discrepancy(1, D("0.5"), (2, 3, 4))),
        (PANEL_MEAN, {1: D(1), 2: D(10)}, {}, None),  # panels never flag by default
        (PANEL_MEAN, {1: D(7), 2: D(9), 3: D(8)}, {"panel_threshold": D(2)}, None),
        (
            PANEL_MEAN,
            {1: D(6), 2: D(9), 3: D(8)},
            {"panel_threshold": D(2)},
            Discrepancy(3, D(3), (1, 2)),
        ),
        (JUDGE, {1: D(0)}, {}, None),
        (MEASURE, {}, {}, None),
    ],
    ids=[
        "judgement-1-3",
        "judgement-2-3",
        "judgement-threshold-2",
        "judgement-threshold-0",
        "judgement-extremes-shared",
        "measurement-agree",
        "measurement-differ",
        "measurement-three-judges",
        "panel-default-never",
        "panel-within-threshold",
        "panel-over-threshold",
        "single-judge",
        "no-judges",
    ],
)
def test_find_discrepancies(spec, scores, kwargs, expected):
    assert find_discrepancies(spec, scores, **kwargs) == expected


def test_judge_severity_leave_one_out():
    panels = [
        # judge 3 vs others (8, 8): −2; judge 1 vs (8, 6): +1; judge 2 likewise +1
        {1: D(8), 2: D(8), 3: D(6)},
        # judge 3 vs (9, 7): 0; judge 1 vs (7, 8): +1.5; judge 2 vs (9, 8): −1.5
        {1: D(9), 2: D(7), 3: D(8)},
        {1: D(5)},  # a lone judge has nobody to compare with
        # judge 1 vs 4: 0; judge 4 vs 1: 0
        {1: D(6), 4: D(6)},
    ]
    assert judge_severity(panels) == {
        1: Severity(D("0.83"), 3),  # (1 + 1.5 + 0) / 3 = 0.833…
        2: Severity(D("-0.25"), 2),  # (1 − 1.5) / 2
        3: Severity(D("-1.00"), 2),  # (−2 + 0) / 2
        4: Severity(D("0.00"), 1),
    }


def test_judge_severity_empty():
    assert judge_severity([]) == {}
