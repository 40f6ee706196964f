import math
from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.domain.aggregation import (
    Aggregation,
    AspectKind,
    AspectSpec,
    CriterionSpec,
    aspect_mark,
    round_half_up,
    scheme_max_total,
    trade_total,
    trimmed_mean,
    validate_mark,
    validate_scheme,
    weighted,
)

MEASURE = AspectSpec(1, AspectKind.MEASUREMENT, D(10))
JUDGE = AspectSpec(2, AspectKind.JUDGEMENT, D(2))
PANEL_MEAN = AspectSpec(3, AspectKind.PANEL_MARK, D(10))
TRIMMED = AspectSpec(4, AspectKind.PANEL_MARK, D(10), Aggregation.TRIMMED_MEAN)
MEDIAN = AspectSpec(5, AspectKind.PANEL_MARK, D(10), Aggregation.MEDIAN)


def marks(*values: str) -> list[D]:
    return [D(v) for v in values]


@pytest.mark.parametrize(
    "value, expected",
    [
        (D("2.345"), D("2.35")),  # half goes up, not to even
        (D("2.335"), D("2.34")),
        (D("2.344999"), D("2.34")),
        (D("0.005"), D("0.01")),
    ],
    ids=["half-up", "half-up-odd", "below-half", "smallest-half"],
)
def test_round_half_up(value, expected):
    assert round_half_up(value) == expected


@pytest.mark.parametrize(
    "spec, values, expected",
    [
        (MEASURE, marks("7.5"), D("7.50")),
        (MEASURE, marks("7.5", "7.5"), D("7.50")),  # agreed
        (MEASURE, marks("7", "8"), D("7.50")),  # disagreement: provisional mean, flagged elsewhere
        (JUDGE, marks("2", "3", "3"), D("1.78")),  # 2 × 8/9 = 1.777… → 1.78
        (JUDGE, marks("3", "3", "3"), D("2.00")),  # 2 × 9/9
        (JUDGE, marks("0", "0", "1"), D("0.22")),  # 2 × 1/9 = 0.222…
        (AspectSpec(9, AspectKind.JUDGEMENT, D("1.5")), marks("1", "2"), D("0.75")),  # 1.5 × 3/6
        (PANEL_MEAN, marks("8", "9", "9"), D("8.67")),  # 26/3 = 8.666…
        (TRIMMED, marks("9", "8", "7", "6", "5"), D("7.00")),  # drop 9 and 5: 21/3
        (TRIMMED, marks("9", "9", "8", "7", "7"), D("8.00")),  # one 9 and one 7 dropped: 24/3
        (TRIMMED, marks("9", "9", "9", "9", "9"), D("9.00")),
        (TRIMMED, marks("9", "5"), D("7.00")),  # n = 2 ≤ 2k: plain mean 14/2
        (TRIMMED, marks("9"), D("9.00")),
        (TRIMMED, marks("10", "9", "8"), D("9.00")),  # n = 3 > 2k: keeps the 9
        (TRIMMED, marks("10", "9", "5"), D("9.00")),  # keeps the 9 (the mean would be 8.00)
        (TRIMMED, marks("5", "10", "9"), D("9.00")),  # any order
        (TRIMMED, marks("9", "9", "3"), D("9.00")),  # one 9 and the 3 dropped (mean 7.00)
        (TRIMMED, marks("2", "2", "8"), D("2.00")),  # one 2 and the 8 dropped (mean 4.00)
        (TRIMMED, marks("9.5", "8.25", "6"), D("8.25")),  # (mean 23.75/3 = 7.92)
        (TRIMMED, marks("10", "10", "6", "2"), D("8.00")),  # keeps 10, 6: 16/2 (mean 7.00)
        (TRIMMED, marks("10", "7", "3", "3"), D("5.00")),  # keeps 7, 3: 10/2 (mean 5.75)
        (TRIMMED, marks("10", "10", "10", "4", "4"), D("8.00")),  # keeps 10, 10, 4: 24/3 (mean 7.60)
        (TRIMMED, marks("10", "10", "8", "6", "1"), D("8.00")),  # keeps 10, 8, 6: 24/3 (mean 7.00)
        # keeps 9.75, 9.25, 8.5: 27.5/3 = 9.1666… → 9.17 (mean 45.75/5 = 9.15)
        (TRIMMED, marks("9.75", "9.75", "9.25", "8.5", "8.5"), D("9.17")),
        (
            AspectSpec(6, AspectKind.PANEL_MARK, D(10), Aggregation.TRIMMED_MEAN, trimmed_count=2),
            marks("10", "9", "8", "7", "1"),
            D("8.00"),  # drop 10, 9 and 7, 1: keeps 8
        ),
        (
            AspectSpec(6, AspectKind.PANEL_MARK, D(10), Aggregation.TRIMMED_MEAN, trimmed_count=2),
            marks("10", "9", "8", "1"),
            D("7.00"),  # n = 4 ≤ 2k = 4: plain mean 28/4
        ),
        (MEDIAN, marks("9", "1", "5"), D("5.00")),  # odd: middle
        (MEDIAN, marks("9", "1", "5", "6"), D("5.50")),  # even: (5 + 6) / 2
        (MEDIAN, marks("7.25", "7.5"), D("7.38")),  # (7.25 + 7.5) / 2 = 7.375 → 7.38
        (MEASURE, [], None),
        (TRIMMED, [], None),
    ],
    ids=[
        "measurement-single",
        "measurement-agreed",
        "measurement-disagree-mean",
        "judgement-2-3-3",
        "judgement-all-3",
        "judgement-0-0-1",
        "judgement-two-judges",
        "panel-mean",
        "trimmed-distinct",
        "trimmed-equal-extremes",
        "trimmed-all-equal",
        "trimmed-too-few-2",
        "trimmed-too-few-1",
        "trimmed-3-judges",
        "trimmed-3-judges-10-9-5",
        "trimmed-3-judges-any-order",
        "trimmed-3-judges-equal-highest",
        "trimmed-3-judges-equal-lowest",
        "trimmed-3-judges-decimals",
        "trimmed-4-judges-equal-highest",
        "trimmed-4-judges-equal-lowest",
        "trimmed-5-judges-three-equal-highest",
        "trimmed-5-judges-equal-highest",
        "trimmed-5-judges-equal-extremes-rounds",
        "trimmed-k2",
        "trimmed-k2-too-few",
        "median-odd",
        "median-even",
        "median-even-rounds-half-up",
        "no-marks-measurement",
        "no-marks-panel",
    ],
)
def test_aspect_mark(spec, values, expected):
    assert aspect_mark(spec, values) == expected


@pytest.mark.parametrize(
    "values, count, expected",
    [
        (marks("10", "9", "5"), 1, D(9)),  # mean 8
        (marks("9", "9", "3"), 1, D(9)),  # one 9 and the 3 dropped; mean 7
        (marks("1", "1", "10"), 1, D(1)),  # one 1 and the 10 dropped; mean 4
        (marks("7", "7", "7"), 1, D(7)),
        (marks("10", "9", "5"), 0, D(8)),  # count 0: nothing dropped, the mean 24/3
        (marks("10", "5"), 1, D("7.5")),  # n = 2 ≤ 2k: the plain mean
        (marks("10", "10", "6", "2"), 1, D(8)),  # keeps 10, 6; mean 7
        (marks("8", "8", "8", "2"), 1, D(8)),  # keeps 8, 8; mean 6.5
        (marks("10", "7", "3", "3"), 1, D(5)),  # keeps 7, 3; mean 5.75
        (marks("10", "10", "10", "4", "4"), 1, D(8)),  # keeps 10, 10, 4; mean 7.6
        (marks("10", "10", "8", "6", "1"), 1, D(8)),  # keeps 10, 8, 6; mean 7
        (marks("10", "10", "10", "2", "2"), 2, D(10)),  # keeps the third 10; mean 6.8
        (marks("10", "9", "8", "2", "1"), 2, D(8)),  # keeps 8; mean 6
        (marks("10", "9", "8", "1"), 2, D(7)),  # n = 4 ≤ 2k: the plain mean 28/4
    ],
    ids=[
        "3-judges-distinct",
        "3-judges-equal-highest",
        "3-judges-equal-lowest",
        "3-judges-all-equal",
        "3-judges-count-0",
        "2-judges-too-few",
        "4-judges-equal-highest",
        "4-judges-three-equal",
        "4-judges-equal-lowest",
        "5-judges-three-equal-highest",
        "5-judges-equal-highest",
        "5-judges-k2-equal-extremes",
        "5-judges-k2",
        "4-judges-k2-too-few",
    ],
)
def test_trimmed_mean(values, count, expected):
    assert trimmed_mean(values, count) == expected


def test_aspect_mark_places():
    # 2 × 8/9 = 1.7777… → 1.778 with three places
    assert aspect_mark(JUDGE, marks("2", "3", "3"), places=3) == D("1.778")


@pytest.mark.parametrize(
    "spec, mark, expected",
    [
        (AspectSpec(1, AspectKind.PANEL_MARK, D(10), weight=D("1.6")), D("8.57"), D("13.71")),  # 13.712
        (AspectSpec(1, AspectKind.PANEL_MARK, D(10), weight=D("0.8")), D("9.07"), D("7.26")),  # 7.256
        (AspectSpec(1, AspectKind.PANEL_MARK, D(10), weight=D("1.2")), D("6.25"), D("7.50")),  # exact
        (AspectSpec(1, AspectKind.PANEL_MARK, D(10)), D("6.25"), D("6.25")),  # weight 1
    ],
    ids=["factor-1.6", "factor-0.8-rounds-up", "factor-1.2-exact", "unweighted"],
)
def test_weighted(spec, mark, expected):
    assert weighted(spec, mark) == expected


def test_rounding_order_is_round_then_sum():
    # Two components at factor 0.8 with panel 9.07: each 7.256 → 7.26, total 14.52.
    # Summing first would give 14.512 → 14.51: the ISU publishes 14.52.
    a = AspectSpec(1, AspectKind.PANEL_MARK, D(10), Aggregation.TRIMMED_MEAN, weight=D("0.8"))
    b = AspectSpec(2, AspectKind.PANEL_MARK, D(10), Aggregation.TRIMMED_MEAN, weight=D("0.8"))
    result = trade_total([CriterionSpec(1, None, (a, b))], {1: [D("9.07")], 2: [D("9.07")]})
    assert result.total == D("14.52")


@pytest.mark.parametrize(
    "spec, value, message",
    [
        (MEASURE, D("-0.5"), "Mark must be between 0 and %(max)s."),
        (MEASURE, D("10.01"), "Mark must be between 0 and %(max)s."),
        (MEASURE, D("7.125"), "Mark may have at most %(decimals)s decimal places."),
        (
            AspectSpec(1, AspectKind.PANEL_MARK, D(10), decimals=0),
            D("7.5"),
            "Mark may have at most %(decimals)s decimal places.",
        ),
        (MEASURE, D("NaN"), "Mark must be a number."),
        (MEASURE, D("sNaN"), "Mark must be a number."),
        (MEASURE, D("Infinity"), "Mark must be a number."),
        (PANEL_MEAN, D("-Infinity"), "Mark must be a number."),
        (JUDGE, D("4"), "A judgement score must be 0, 1, 2 or 3."),
        (JUDGE, D("1.5"), "A judgement score must be 0, 1, 2 or 3."),
        (JUDGE, D("-1"), "A judgement score must be 0, 1, 2 or 3."),
        (MEASURE, D("10"), None),
        (MEASURE, D("0"), None),
        (MEASURE, D("7.50"), None),
        (AspectSpec(1, AspectKind.PANEL_MARK, D(10), decimals=1), D("7.50"), None),  # trailing zero
        (JUDGE, D("3"), None),  # above max 2 but a valid judgement score
        (JUDGE, D("2.0"), None),
        (JUDGE, D("0"), None),
        (JUDGE, D("1"), None),
    ],
    ids=[
        "negative",
        "above-max",
        "too-many-decimals",
        "decimals-0",
        "nan",
        "snan",
        "infinity",
        "minus-infinity",
        "judgement-4",
        "judgement-fraction",
        "judgement-negative",
        "max-ok",
        "zero-ok",
        "two-decimals-ok",
        "trailing-zero-ok",
        "judgement-3-ok",
        "judgement-2.0-ok",
        "judgement-0-ok",
        "judgement-1-ok",
    ],
)
def test_validate_mark(spec, value, message):
    problem = validate_mark(spec, value)
    assert (problem and problem.message) == message


def test_validate_mark_params_render():
    assert validate_mark(MEASURE, D(11)).render() == "Mark must be between 0 and 10."


# --- trade total ------------------------------------------------------------------------------

A1 = AspectSpec(11, AspectKind.MEASUREMENT, D(20))
A2 = AspectSpec(12, AspectKind.PANEL_MARK, D(80), Aggregation.TRIMMED_MEAN)
B1 = AspectSpec(21, AspectKind.JUDGEMENT, D(3))
B2 = AspectSpec(22, AspectKind.MEASUREMENT, D(7))


@pytest.mark.parametrize(
    "weights, scores, criteria, total, complete",
    [
        # A = 15 + trimmed(70, 60, 50) = 15 + 60 = 75; B = 3 × 7/9 = 2.33 + 5 = 7.33; 82.33
        (
            (None, None),
            {11: [D(15)], 12: [D(70), D(60), D(50)], 21: [D(2), D(2), D(3)], 22: [D(5)]},
            {1: D(75), 2: D("7.33")},
            D("82.33"),
            True,
        ),
        # weighted 30/70: 30 × 75/100 + 70 × 7.33/10 = 22.5 + 51.31 = 73.81
        (
            (D(30), D(70)),
            {11: [D(15)], 12: [D(70), D(60), D(50)], 21: [D(2), D(2), D(3)], 22: [D(5)]},
            {1: D(75), 2: D("7.33")},
            D("73.81"),
            True,
        ),
        # B2 unmarked: counts 0 and the total is incomplete; A = 15 + 60, B = 2.33
        (
            (None, None),
            {11: [D(15)], 12: [D(60)], 21: [D(2), D(2), D(3)]},
            {1: D(75), 2: D("2.33")},
            D("77.33"),
            False,
        ),
        ((None, None), {}, {1: D(0), 2: D(0)}, D(0), False),
    ],
    ids=["plain-sum", "weighted-30-70", "missing-aspect", "no-marks"],
)
def test_trade_total(weights, scores, criteria, total, complete):
    scheme = [CriterionSpec(1, weights[0], (A1, A2)), CriterionSpec(2, weights[1], (B1, B2))]
    result = trade_total(scheme, scores)
    assert (result.criteria, result.total, result.complete) == (criteria, total, complete)


def test_weighted_total_is_rounded_once():
    # 50 × 1/30 + 50 × 1/30 = 3.333… → 3.33 (rounding each first would give 1.67 + 1.67 = 3.34)
    scheme = [
        CriterionSpec(1, D(50), (AspectSpec(1, AspectKind.MEASUREMENT, D(30)),)),
        CriterionSpec(2, D(50), (AspectSpec(2, AspectKind.MEASUREMENT, D(30)),)),
    ]
    assert trade_total(scheme, {1: [D(1)], 2: [D(1)]}).total == D("3.33")


def test_trade_total_reports_weighted_aspect_marks():
    spec = AspectSpec(1, AspectKind.PANEL_MARK, D(10), weight=D("1.6"))
    unmarked = AspectSpec(2, AspectKind.MEASUREMENT, D(10))
    result = trade_total([CriterionSpec(1, None, (spec, unmarked))], {1: [D("8.57")]})
    assert result.aspects == {1: D("13.71"), 2: None}


@pytest.mark.parametrize(
    "expected, complete",
    [
        (None, True),  # one mark per aspect is enough
        ({21: 3, 12: 3}, True),
        ({21: 4}, False),  # a fourth judge has not scored
        ({11: 1, 22: 1, 21: 3}, True),  # a measurement entered once (the panel rule says how many)
        ({11: 2}, False),  # a measurement waiting for its confirmation
    ],
    ids=["default-one-mark", "panels-full", "panel-short", "measurement-once",
         "measurement-unconfirmed"],
)
def test_trade_total_complete_with_expected_judges(expected, complete):
    scheme = [CriterionSpec(1, None, (A1, A2)), CriterionSpec(2, None, (B1, B2))]
    scores = {11: [D(15)], 12: [D(70), D(60), D(50)], 21: [D(2), D(2), D(3)], 22: [D(5)]}
    assert trade_total(scheme, scores, expected).complete is complete


def test_one_mark_completes_a_panel_aspect_by_default():
    assert trade_total([CriterionSpec(1, None, (A2,))], {12: [D(60)]}).complete is True


def test_trade_total_refuses_mixed_weights():
    scheme = [CriterionSpec(1, D(30), (A1,)), CriterionSpec(2, None, (B1,))]
    with pytest.raises(ValueError):
        trade_total(scheme, {})


@pytest.mark.parametrize(
    "scheme, expected",
    [
        ([CriterionSpec(1, None, (A1, A2)), CriterionSpec(2, None, (B1, B2))], D(110)),  # 20+80+3+7
        ([CriterionSpec(1, D(30), (A1, A2)), CriterionSpec(2, D(70), (B1, B2))], D(100)),
        # weighted aspect maxima: 10 × 1.6 + 10 × 0.8 = 24
        (
            [
                CriterionSpec(
                    1,
                    None,
                    (
                        AspectSpec(1, AspectKind.PANEL_MARK, D(10), weight=D("1.6")),
                        AspectSpec(2, AspectKind.PANEL_MARK, D(10), weight=D("0.8")),
                    ),
                )
            ],
            D(24),
        ),
    ],
    ids=["plain", "weighted", "aspect-weights"],
)
def test_scheme_max_total(scheme, expected):
    assert scheme_max_total(scheme) == expected


@pytest.mark.parametrize(
    "scheme, panel_size, messages",
    [
        ([CriterionSpec(1, None, (A1, A2)), CriterionSpec(2, None, (B1, B2))], 5, []),
        ([], None, ["The marking scheme has no criteria."]),
        (
            [CriterionSpec(1, D(30), (A1,)), CriterionSpec(2, None, (B1,))],
            None,
            ["Either every criterion has a weight or none has."],
        ),
        ([CriterionSpec(1, None, ())], None, ["Criterion %(criterion)s has no aspects."]),
        (
            [CriterionSpec(1, D(0), (A1,))],
            None,
            ["The weight of criterion %(criterion)s must be above 0."],
        ),
        (
            [CriterionSpec(1, None, (AspectSpec(1, AspectKind.PANEL_MARK, D(0)),))],
            None,
            ["The maximum mark of aspect %(aspect)s must be above 0."],
        ),
        (
            [CriterionSpec(1, D(100), (AspectSpec(1, AspectKind.PANEL_MARK, D(-1)),))],
            None,
            [
                "The maximum of criterion %(criterion)s must be above 0.",
                "The maximum mark of aspect %(aspect)s must be above 0.",
            ],
        ),
        (
            [CriterionSpec(1, None, (AspectSpec(1, AspectKind.PANEL_MARK, D(10), weight=D(0)),))],
            None,
            ["The weight of aspect %(aspect)s must be above 0."],
        ),
        (
            [CriterionSpec(1, None, (AspectSpec(1, AspectKind.PANEL_MARK, D("2.5"), decimals=0),))],
            None,
            ["The maximum mark of aspect %(aspect)s has more decimals than a mark may have."],
        ),
        (
            [CriterionSpec(1, None, (AspectSpec(1, AspectKind.PANEL_MARK, D(10), decimals=-1),))],
            None,
            ["Aspect %(aspect)s may allow 0 to 6 decimal places."],
        ),
        (
            [
                CriterionSpec(
                    1, None, (AspectSpec(1, AspectKind.JUDGEMENT, D(2), Aggregation.MEDIAN),)
                )
            ],
            None,
            ["A judgement aspect (%(aspect)s) always uses the mean of the scores."],
        ),
        (
            [
                CriterionSpec(
                    1, None, (AspectSpec(1, AspectKind.JUDGEMENT, D("1.333"), decimals=0),)
                )
            ],
            None,
            [],  # a judgement max needs no entry decimals: judges enter 0..3
        ),
        (
            [
                CriterionSpec(
                    1,
                    None,
                    (AspectSpec(1, AspectKind.PANEL_MARK, D(10), Aggregation.TRIMMED_MEAN, 0),),
                )
            ],
            None,
            ["A trimmed mean must drop at least 1 highest and 1 lowest mark."],
        ),
        (
            [CriterionSpec(1, None, (TRIMMED,))],
            2,
            [
                "Dropping %(count)s highest and %(count)s lowest marks needs more than"
                " %(needed)s judges; with %(judges)s the plain mean is used."
            ],
        ),
        ([CriterionSpec(1, None, (TRIMMED,))], 3, []),
        (
            [CriterionSpec(1, None, (A1,)), CriterionSpec(2, None, (A1,))],
            None,
            ["Aspect %(aspect)s appears twice."],
        ),
        # smallest weights and maxima above 0, 0 and 6 decimals, an odd whole maximum
        (
            [
                CriterionSpec(1, D("0.5"), (AspectSpec(1, AspectKind.PANEL_MARK, D("0.5"), decimals=1),)),
                CriterionSpec(2, D("99.5"), (AspectSpec(2, AspectKind.PANEL_MARK, D(5), decimals=0),)),
                CriterionSpec(3, D(1), (AspectSpec(3, AspectKind.MEASUREMENT, D(1), decimals=6),)),
            ],
            None,
            [],
        ),
        (
            [CriterionSpec(1, None, (AspectSpec(1, AspectKind.PANEL_MARK, D(10), decimals=7),))],
            None,
            ["Aspect %(aspect)s may allow 0 to 6 decimal places."],
        ),
        (
            [CriterionSpec(1, D(100), (AspectSpec(1, AspectKind.PANEL_MARK, D(0)),))],
            None,
            [
                "The maximum of criterion %(criterion)s must be above 0.",
                "The maximum mark of aspect %(aspect)s must be above 0.",
            ],
        ),
        ([CriterionSpec(1, None, (PANEL_MEAN, MEDIAN))], 2, []),  # only a trimmed mean drops marks
        (
            [CriterionSpec(1, None, (AspectSpec(7, AspectKind.PANEL_MARK, D(10), Aggregation.TRIMMED_MEAN,
                                                trimmed_count=2),))],
            4,
            [
                "Dropping %(count)s highest and %(count)s lowest marks needs more than"
                " %(needed)s judges; with %(judges)s the plain mean is used."
            ],
        ),
        (
            [CriterionSpec(1, None, (AspectSpec(7, AspectKind.PANEL_MARK, D(10), Aggregation.TRIMMED_MEAN,
                                                trimmed_count=2),))],
            5,
            [],
        ),
    ],
    ids=[
        "valid",
        "no-criteria",
        "mixed-weights",
        "criterion-without-aspects",
        "criterion-weight-zero",
        "aspect-max-zero",
        "weighted-criterion-max-negative",
        "aspect-weight-zero",
        "max-beyond-decimals",
        "decimals-negative",
        "judgement-not-mean",
        "judgement-max-any-decimals",
        "trimmed-count-zero",
        "trimmed-count-too-large",
        "trimmed-count-fits",
        "duplicate-aspect",
        "smallest-valid-values",
        "decimals-7",
        "weighted-criterion-max-zero",
        "mean-and-median-with-2-judges",
        "trimmed-2-with-4-judges",
        "trimmed-2-with-5-judges",
    ],
)
def test_validate_scheme(scheme, panel_size, messages):
    assert [p.message for p in validate_scheme(scheme, panel_size)] == messages


def test_validate_scheme_says_how_many_judges_a_trimmed_mean_needs():
    spec = AspectSpec(7, AspectKind.PANEL_MARK, D(10), Aggregation.TRIMMED_MEAN, trimmed_count=2)
    [problem] = validate_scheme([CriterionSpec(1, None, (spec,))], 3)
    assert problem.params == {"count": 2, "needed": 4, "judges": 3}
    assert problem.column == "trimmed_count"


# --- properties -------------------------------------------------------------------------------

mark_values = st.decimals(min_value=0, max_value=10, places=2)
panel_specs = st.builds(
    AspectSpec,
    id=st.just(1),
    kind=st.sampled_from(AspectKind),
    max_mark=st.just(D(10)),
    aggregation=st.sampled_from(Aggregation),
    trimmed_count=st.integers(0, 4),
)


def _marks_for(spec: AspectSpec):
    if spec.kind is AspectKind.JUDGEMENT:
        return st.lists(st.sampled_from([D(0), D(1), D(2), D(3)]), min_size=1, max_size=9)
    return st.lists(mark_values, min_size=1, max_size=9)


@given(st.data())
def test_aspect_mark_within_bounds(data):
    spec = data.draw(panel_specs)
    values = data.draw(_marks_for(spec))
    assert D(0) <= aspect_mark(spec, values) <= spec.max_mark


@given(st.lists(mark_values, min_size=1, max_size=12), st.integers(0, 5))
def test_trimmed_mean_between_min_and_max(values, count):
    assert min(values) <= trimmed_mean(values, count) <= max(values)


def rule_trimmed_mean(values, count: int) -> Fraction:
    """The rule restated (DOMAIN.md, Marking), independently of the code: while more than 2k
    marks remain, strike out one highest and one lowest instance, k times; average the rest."""
    kept = list(values)
    if len(kept) > 2 * count:
        for _ in range(count):
            kept.remove(max(kept))
            kept.remove(min(kept))
    return sum(map(Fraction, kept), Fraction(0)) / len(kept)


def rule_aspect_mark(spec: AspectSpec, values) -> D:
    """The aspect mark by the rule, in exact fractions, rounded half up to 2 places by hand."""
    exact = [Fraction(v) for v in values]
    if spec.kind is AspectKind.JUDGEMENT:
        value = Fraction(spec.max_mark) * sum(exact) / (3 * len(exact))
    elif spec.kind is AspectKind.MEASUREMENT or spec.aggregation is Aggregation.MEAN:
        value = sum(exact) / len(exact)
    elif spec.aggregation is Aggregation.TRIMMED_MEAN:
        value = rule_trimmed_mean(values, spec.trimmed_count)
    else:
        ordered, middle = sorted(exact), len(exact) // 2
        value = ordered[middle] if len(exact) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    hundredths = math.floor(value * 100 + Fraction(1, 2))  # marks are never negative
    return D(hundredths).scaleb(-2)


@given(st.lists(mark_values, min_size=1, max_size=12), st.integers(0, 5))
def test_trimmed_mean_is_the_rule(values, count):
    expected = rule_trimmed_mean(values, count)
    assert trimmed_mean(values, count) == D(expected.numerator) / D(expected.denominator)


@given(st.lists(mark_values, min_size=3, max_size=9))
def test_trimmed_mean_of_a_panel_drops_one_highest_and_one_lowest(values):
    expected = rule_trimmed_mean(values, 1)
    assert trimmed_mean(values, 1) == D(expected.numerator) / D(expected.denominator)


@given(st.data())
def test_aspect_mark_is_the_rule(data):
    spec = data.draw(panel_specs)
    values = data.draw(_marks_for(spec))
    assert aspect_mark(spec, values) == rule_aspect_mark(spec, values)


@given(st.data())
def test_aspect_mark_ignores_order(data):
    spec = data.draw(panel_specs)
    values = data.draw(_marks_for(spec))
    shuffled = data.draw(st.permutations(values))
    assert aspect_mark(spec, shuffled) == aspect_mark(spec, values)


@given(st.lists(mark_values, min_size=1, max_size=9))
def test_every_valid_mark_is_accepted(values):
    assert all(validate_mark(PANEL_MEAN, v) is None for v in values)
