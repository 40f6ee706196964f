from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.domain.scaling import Scaling, apply_scaling, worldskills_scale


@pytest.mark.parametrize(
    "totals, scaled",
    [
        # median 70; |x − 70| = 20, 10, 0, 10, 20 → MAD 10; unit 1.4826 × 10 = 14.826
        # 700 − 600/14.826 = 659.53 → 660; 700 − 300/14.826 = 679.77 → 680; 720.23; 740.47
        (
            {1: D(50), 2: D(60), 3: D(70), 4: D(80), 5: D(90)},
            {1: 660, 2: 680, 3: 700, 4: 720, 5: 740},
        ),
        # even count: median (20 + 30)/2 = 25; |x − 25| = 15, 5, 5, 15 → MAD (5 + 15)/2 = 10
        # 700 − 450/14.826 = 669.65 → 670; 700 − 150/14.826 = 689.88 → 690; 710.12; 730.35
        ({1: D(10), 2: D(20), 3: D(30), 4: D(40)}, {1: 670, 2: 690, 3: 710, 4: 730}),
        # median 100, MAD 1 (deviations 0, 0.02471, 1, 1, 2, 2, 3); unit 1.4826
        # entrant 7: 700 + 30 × 0.02471/1.4826 = 700.5 exactly → 701 (half up, not to even)
        # 97: 700 − 90/1.4826 = 639.30 → 639; 98: 700 − 60/1.4826 = 659.53 → 660;
        # 99: 679.77 → 680; 101: 720.23 → 720; 102: 700 + 60/1.4826 = 740.47 → 740
        (
            {1: D(97), 2: D(98), 3: D(99), 4: D(100), 5: D(101), 6: D(102), 7: D("100.02471")},
            {1: 639, 2: 660, 3: 680, 4: 700, 5: 720, 6: 740, 7: 701},
        ),
        # median 50, |x − 50| = 0, 0, 0, 40 → MAD 0: everyone 700
        ({1: D(50), 2: D(50), 3: D(50), 4: D(90)}, {1: 700, 2: 700, 3: 700, 4: 700}),
        ({1: D("81.5")}, {1: 700}),
        ({}, {}),
    ],
    ids=["odd-count", "even-count-medians", "rounds-half-up", "mad-zero", "single", "empty"],
)
def test_worldskills_scale(totals, scaled):
    assert worldskills_scale(totals) == scaled


def test_apply_scaling_raw_keeps_totals():
    totals = {1: D("81.50"), 2: D("79.25")}
    assert apply_scaling(Scaling.RAW, totals) == totals


def test_apply_scaling_worldskills_gives_whole_decimals():
    scaled = apply_scaling(Scaling.WORLDSKILLS, {1: D(10), 2: D(20), 3: D(30), 4: D(40)})
    assert scaled == {1: D(670), 2: D(690), 3: D(710), 4: D(730)}
    assert all(isinstance(v, D) for v in scaled.values())


totals_strategy = st.dictionaries(
    st.integers(1, 10_000), st.decimals(min_value=0, max_value=100, places=2), max_size=40
)


@given(totals_strategy)
def test_worldskills_scale_is_monotone(totals):
    scaled = worldskills_scale(totals)
    ordered = sorted(totals, key=totals.__getitem__)
    assert [scaled[e] for e in ordered] == sorted(scaled[e] for e in ordered)


@given(
    st.decimals(min_value=0, max_value=100, places=2),
    st.lists(st.decimals(min_value=0, max_value=100, places=2), max_size=10),
    st.integers(1, 3),
)
def test_worldskills_scale_majority_equal_gives_700(common, others, extra):
    # more than half the entrants share one total: the median is that total and MAD = 0
    values = [common] * (len(others) + extra) + others
    totals = dict(enumerate(values))
    assert set(worldskills_scale(totals).values()) == {700}
