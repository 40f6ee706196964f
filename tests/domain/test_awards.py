"""Award rules (DOMAIN.md, Awards), as tables.

Each case lists the entrants' totals in order (entrant ids 1, 2, 3, ...) and the outcome of each:
"1", "2", "3" for a tier (gold/silver/bronze or 1st/2nd/3rd prize), "E" for excellence, "-" for
nothing.
"""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.domain.awards import (
    NO_AWARD,
    Award,
    AwardRule,
    Method,
    Tier,
    TitleRule,
    decide_awards,
    ratio_counts,
    tier_label,
    tier_quotas,
    tiers_allowed,
    validate_rule,
)
from competition.domain.ranking import EntrantScore, Ranked, rank

D = Decimal
PLACES = AwardRule()
QUOTAS_123 = AwardRule(method=Method.QUOTAS, quotas=(1, 2, 3), labels="prizes")
RATIOS = AwardRule(method=Method.RATIOS)
WINDOW = AwardRule(method=Method.TIE_WINDOW, tie_window=D(2))
SMALL_FIELD = ((6, 3), (5, 2), (4, 1))


def ranking(totals, statuses=None) -> list[Ranked]:
    statuses = statuses or {}
    return rank(
        EntrantScore(i, D(t), statuses.get(i, "registered")) for i, t in enumerate(totals, start=1)
    )


def code(award: Award) -> str:
    if award.tier is not None:
        return str(int(award.tier))
    return "E" if award.excellence else "-"


def outcome(totals, rule: AwardRule, scores=None, statuses=None) -> str:
    awards = decide_awards(ranking(totals, statuses), rule, scores)
    return "".join(code(awards[i]) for i in range(1, len(totals) + 1))


def case(totals, rule, expected, id):
    return pytest.param(totals, rule, expected, id=id)


# Places ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "totals, rule, expected",
    [
        case([90, 85, 80, 75], PLACES, "123-", "distinct-gold-silver-bronze"),
        case([90, 90, 80, 75], PLACES, "113-", "tie-at-1-two-golds-no-silver-next-is-bronze"),
        case([90, 85, 85, 75], PLACES, "122-", "tie-at-2-two-silvers-no-bronze"),
        case([90, 85, 80, 80, 70], PLACES, "1233-", "tie-at-3-two-bronzes"),
        case([90, 90, 90, 80], PLACES, "111-", "three-golds-nothing-else"),
        case([90], PLACES, "1", "one-entrant-gold"),
        case([90, 80], PLACES, "12", "two-entrants-gold-silver"),
        case([], PLACES, "", "no-entrants"),
    ],
)
def test_places(totals, rule, expected):
    assert outcome(totals, rule) == expected


# Quotas: the small seed event, 9 trades of about 8 entrants, 1/2/3 prizes ------------------------


@pytest.mark.parametrize(
    "totals, rule, expected",
    [
        case([95, 90, 85, 80, 75, 70, 65, 60], QUOTAS_123, "122333--", "eight-distinct"),
        case([95, 95, 85, 80, 75, 70, 65, 60], QUOTAS_123, "112333--",
             "tie-at-first-prize-both-first-one-second-left"),
        case([95, 90, 90, 80, 75, 70, 65, 60], QUOTAS_123, "122333--",
             "tie-inside-second-prize-places"),
        case([95, 90, 85, 85, 75, 70, 65, 60], QUOTAS_123, "122233--",
             "tie-at-second-third-boundary-three-seconds-two-thirds"),
        case([95, 90, 85, 80, 75, 70, 70, 60], QUOTAS_123, "1223333-",
             "tie-at-last-third-prize-four-thirds"),
        case([95, 90, 85, 80, 75, 70, 65, 65], QUOTAS_123, "122333--",
             "tie-below-the-last-prize-gets-nothing"),
        case([80] * 8, QUOTAS_123, "11111111", "all-tied-all-first"),
        case([95, 90, 85], QUOTAS_123, "122", "fewer-entrants-than-prizes"),
        case([95, 90, 85, 80], AwardRule(method=Method.QUOTAS, quotas=(0, 2, 1)), "223-",
             "no-first-prize"),
        case([95, 90, 85, 80], AwardRule(method=Method.QUOTAS, quotas=(1, 0, 2)), "133-",
             "zero-second-prizes-skips-the-tier"),
    ],
)
def test_quotas(totals, rule, expected):
    assert outcome(totals, rule) == expected


# Ratios ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ratios, n, rounding, min_one, counts",
    [
        (("0.1", "0.2", "0.3"), 0, "half_up", True, (0, 0, 0)),
        (("0.1", "0.2", "0.3"), 1, "half_up", True, (1, 0, 0)),
        (("0.1", "0.2", "0.3"), 2, "half_up", True, (1, 1, 0)),
        (("0.1", "0.2", "0.3"), 5, "half_up", True, (1, 1, 2)),
        (("0.1", "0.2", "0.3"), 7, "half_up", True, (1, 1, 2)),
        (("0.1", "0.2", "0.3"), 10, "half_up", True, (1, 2, 3)),
        (("0.1", "0.2", "0.3"), 15, "half_up", True, (2, 3, 5)),
        (("0.1", "0.2", "0.3"), 7, "floor", True, (1, 1, 2)),
        (("0.1", "0.2", "0.3"), 15, "floor", True, (1, 3, 4)),
        (("0.1", "0.2", "0.3"), 7, "ceil", True, (1, 2, 3)),
        (("0.1", "0.2", "0.3"), 2, "half_up", False, (0, 0, 1)),
        (("0.1", "0.2", "0.3"), 7, "floor", False, (0, 1, 2)),
        (("0", "0.5", "0.5"), 3, "half_up", True, (0, 2, 1)),
        (("0.5", "0.5", "0.5"), 3, "half_up", True, (2, 1, 0)),
    ],
    ids=[
        "N0-nothing",
        "N1-one-gold-nothing-left",
        "N2-min-one-gold-and-silver",
        "N5-half-rounds-up",
        "N7-0.7-1.4-2.1",
        "N10-exact",
        "N15-1.5-and-4.5-round-up",
        "N7-floor-min-one",
        "N15-floor",
        "N7-ceil",
        "N2-without-min-one",
        "N7-floor-without-min-one",
        "zero-ratio-gets-no-minimum",
        "never-more-than-entrants-left",
    ],
)
def test_ratio_counts_per_tier(ratios, n, rounding, min_one, counts):
    assert ratio_counts(tuple(map(D, ratios)), n, rounding, min_one) == counts


@pytest.mark.parametrize(
    "totals, rule, expected",
    [
        case([80], RATIOS, "1", "N1"),
        case([80, 70], RATIOS, "12", "N2"),
        case([90, 85, 80, 75, 70, 65, 60], RATIOS, "1233---", "N7"),
        case(list(range(100, 90, -1)), RATIOS, "122333----", "N10"),
        case([100, 100, 98, 97, 96, 95, 94, 93, 92, 91], RATIOS, "112333----",
             "N10-tie-at-first-boundary"),
        case([100, 99, 98, 98, 96, 95, 94, 93, 92, 91], RATIOS, "122233----",
             "N10-tie-at-second-third-boundary"),
        case([100, 99, 98, 97, 96, 95, 95, 93, 92, 91], RATIOS, "1223333---",
             "N10-tie-at-last-third-place"),
    ],
)
def test_ratios_apply_as_quotas(totals, rule, expected):
    assert outcome(totals, rule) == expected


def test_ratio_field_counts_ranked_entrants_only():
    # 3 ranked of 4: 0.3 → 0 → 1, then 0.6 → 1, then 0.9 → 1.
    assert outcome([90, 80, 70, 99], RATIOS, statuses={4: "absent"}) == "123-"


# Excellence ------------------------------------------------------------------------------------

TOP_HALF = AwardRule(excellence="top_half")


@pytest.mark.parametrize(
    "totals, rule, expected",
    [
        case([90, 85, 80, 75, 70, 65, 60, 55], TOP_HALF, "123E----", "N8-even-place-4-in"),
        case([90, 85, 80, 75, 70, 65, 60, 55, 50], TOP_HALF, "123E-----",
             "N9-odd-place-4-in-place-5-out"),
        case([90, 85, 80, 75, 70, 65, 60], TOP_HALF, "123----", "N7-odd-place-4-out"),
        case([90, 85, 80, 75, 75, 65, 60, 55], TOP_HALF, "123EE---",
             "tie-straddling-the-half-both-in"),
        case([90, 85, 80, 75, 70, 70, 60, 55, 50, 45], TOP_HALF, "123EEE----",
             "tie-at-place-5-of-10-both-in"),
        case([90, 80], TOP_HALF, "12", "medallists-never-get-excellence"),
        case(list(range(100, 80, -1)), AwardRule(method=Method.QUOTAS, quotas=(2, 4, 4),
                                                  excellence="top_half"),
             "1122223333" + "-" * 10, "N20-top-half-all-medalled"),
    ],
)
def test_excellence_top_half(totals, rule, expected):
    assert outcome(totals, rule) == expected


def test_excellence_threshold_worldskills_700():
    rule = AwardRule(excellence="threshold", excellence_threshold=D(700))
    assert outcome([720, 710, 705, 700, 699], rule) == "123E-"


def test_excellence_threshold_applies_to_the_given_scores():
    rule = AwardRule(excellence="threshold", excellence_threshold=D(700))
    scaled = {1: D(730), 2: D(715), 3: D(705), 4: D(701), 5: D(690)}
    assert outcome([90, 80, 70, 60, 50], rule, scores=scaled) == "123E-"


# Minimum score ---------------------------------------------------------------------------------

MINIMUM_60 = AwardRule(minimum_score=D(60), excellence="top_half",
                       titles=(TitleRule("技术能手", 5),))


@pytest.mark.parametrize(
    "totals, expected",
    [
        ([90, 59, 58], "1--"),
        ([60, 59], "1-"),
        ([59, 58, 57], "---"),
        ([90, 80, 70, 65, 50, 40, 30, 20], "123E----"),
        ([90, 80, 70, 59, 50, 40, 30, 20], "123-----"),
    ],
    ids=[
        "silver-below-minimum-not-passed-down",
        "equal-to-minimum-is-enough",
        "nobody-reaches-it",
        "excellence-above-minimum",
        "excellence-below-minimum-taken-away",
    ],
)
def test_minimum_score(totals, expected):
    assert outcome(totals, MINIMUM_60) == expected


def test_minimum_score_takes_titles_too():
    awards = decide_awards(ranking([90, 59]), MINIMUM_60)
    assert awards[1].titles == ("技术能手",)
    assert awards[2] == NO_AWARD


# Small field -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, tiers",
    [(0, 0), (3, 0), (4, 1), (5, 2), (6, 3), (60, 3)],
    ids=["empty", "3-none", "4-gold-only", "5-gold-silver", "6-all", "large"],
)
def test_tiers_allowed(n, tiers):
    assert tiers_allowed(SMALL_FIELD, n) == tiers


def test_small_field_off_by_default():
    assert tiers_allowed(None, 1) == 3
    assert outcome([90], PLACES) == "1"


SMALL = AwardRule(small_field=SMALL_FIELD)
SMALL_TOP_HALF = AwardRule(small_field=SMALL_FIELD, excellence="top_half",
                           titles=(TitleRule("技术能手", 5),))


@pytest.mark.parametrize(
    "totals, rule, expected",
    [
        case([90, 85, 80, 75, 70, 65], SMALL, "123---", "6-gold-silver-bronze"),
        case([90, 85, 80, 75, 70], SMALL, "12---", "5-gold-silver"),
        case([90, 85, 80, 75], SMALL, "1---", "4-gold-only"),
        case([90, 85, 80], SMALL, "---", "3-nothing"),
        case([90, 90, 80, 75, 70], SMALL, "11---", "5-two-golds-bronze-place-not-given"),
        case([90, 85, 85, 75], SMALL, "1---", "4-tied-silvers-not-given"),
        case([90, 85, 80, 75], SMALL_TOP_HALF, "1E--", "4-excellence-to-the-untiered"),
        case([90, 85, 80], SMALL_TOP_HALF, "---", "3-no-award-of-any-kind"),
    ],
)
def test_small_field(totals, rule, expected):
    assert outcome(totals, rule) == expected


def test_small_field_counts_ranked_entrants_only():
    assert outcome([90, 85, 80, 75, 70, 99], SMALL, statuses={6: "withdrawn"}) == "12----"


def test_small_field_with_no_tiers_gives_no_title():
    awards = decide_awards(ranking([90, 85, 80]), SMALL_TOP_HALF)
    assert set(awards.values()) == {NO_AWARD}


# Tie window (WorldSkills) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "totals, rule, expected",
    [
        case([542, 541, 540, 539, 529], WINDOW, "1113-", "worked-example-3-golds-then-bronze"),
        case([542, 540, 538], WINDOW, "113", "never-chained-538-is-not-within-2-of-542"),
        case([500, 498, 497], WINDOW, "113", "window-is-inclusive"),
        case([550, 549, 540, 538, 537], WINDOW, "1133-", "2-golds-bronze-group-at-place-3"),
        case([550, 545, 540, 539, 537], WINDOW, "1233-", "gold-silver-bronze-group"),
        case([550, 545, 544, 542, 530], WINDOW, "1223-",
             "1-gold-2-silvers-bronze-within-2-of-lowest-silver"),
        case([550, 545, 544, 543, 540], WINDOW, "1222-",
             "1-gold-3-silvers-nobody-within-2-no-bronze"),
        case([550, 550, 549, 548, 547, 545], WINDOW, "11113-",
             "4-golds-bronze-within-2-of-lowest-gold"),
        case([550, 550, 549, 530], WINDOW, "111-", "3-golds-nobody-close-no-bronze"),
        case([550, 540, 530, 520], WINDOW, "123-", "no-one-close-like-places"),
        case([500], WINDOW, "1", "one-entrant"),
        case([550, 549, 540, 539],
             AwardRule(method=Method.TIE_WINDOW, tie_window=D(0)), "123-",
             "window-0-is-plain-places"),
        case([550, D("548.5"), 547], AwardRule(method=Method.TIE_WINDOW, tie_window=D("1.5")),
             "113", "decimal-window"),
    ],
)
def test_tie_window(totals, rule, expected):
    assert outcome(totals, rule) == expected


def test_tie_window_measures_the_given_scores():
    old_scale = {1: D(542), 2: D(541), 3: D(540), 4: D(539), 5: D(529)}
    assert outcome([90, 80, 70, 60, 50], WINDOW, scores=old_scale) == "1113-"


def test_tie_window_with_excellence_and_small_field():
    rule = AwardRule(method=Method.TIE_WINDOW, small_field=SMALL_FIELD,
                     excellence="threshold", excellence_threshold=D(530))
    assert outcome([542, 541, 540, 539, 529], rule) == "111E-"


# Titles ----------------------------------------------------------------------------------------

JISHU_NENGSHOU = TitleRule("技术能手", 5)


@pytest.mark.parametrize(
    "totals, title, with_title",
    [
        ([90, 85, 80, 75, 70, 65, 60], JISHU_NENGSHOU, [1, 2, 3, 4, 5]),
        ([90, 85, 80, 75, 70, 70, 60], JISHU_NENGSHOU, [1, 2, 3, 4, 5, 6]),
        ([90, 85, 80, 75, 75, 75, 60], JISHU_NENGSHOU, [1, 2, 3, 4, 5, 6]),
        ([90, 85, 80, 75], TitleRule("技术能手", 3), [1, 2, 3]),
        ([90, 85], JISHU_NENGSHOU, [1, 2]),
    ],
    ids=[
        "places-1-to-5",
        "tie-at-place-5-both-get-it",
        "tie-from-place-4-all-get-it",
        "pairs-places-1-to-3",
        "small-field-everyone",
    ],
)
def test_titles_go_by_place_beside_medals(totals, title, with_title):
    awards = decide_awards(ranking(totals), AwardRule(titles=(title,)))
    assert [i for i, a in awards.items() if a.titles == (title.name,)] == with_title
    assert awards[1].tier == Tier.FIRST


def test_several_titles():
    rule = AwardRule(titles=(TitleRule("技术能手", 5), TitleRule("技术标兵", 1)))
    awards = decide_awards(ranking([90, 85]), rule)
    assert awards[1].titles == ("技术能手", "技术标兵")
    assert awards[2].titles == ("技术能手",)


# Unranked entrants ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["withdrawn", "absent", "disqualified"])
@pytest.mark.parametrize("rule", [PLACES, QUOTAS_123, RATIOS, WINDOW, MINIMUM_60, SMALL_TOP_HALF],
                         ids=["places", "quotas", "ratios", "window", "minimum", "small-field"])
def test_unranked_entrants_get_nothing(status, rule):
    totals = [99, 90, 85, 80, 75, 70, 65]
    awards = decide_awards(ranking(totals, {1: status}), rule)
    assert awards[1] == NO_AWARD
    assert awards[2].tier == Tier.FIRST


def test_no_marks_no_award():
    ranked = rank([EntrantScore(1, None), EntrantScore(2, D(50))])
    assert decide_awards(ranked, PLACES) == {1: NO_AWARD, 2: Award(Tier.FIRST, False, ())}


# Labels, quotas, validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "tier, labels, label",
    [
        (Tier.FIRST, "medals", "Gold"),
        (Tier.THIRD, "medals", "Bronze"),
        (Tier.FIRST, "prizes", "First prize"),
        (Tier.SECOND, "prizes", "Second prize"),
    ],
)
def test_tier_labels(tier, labels, label):
    assert tier_label(tier, labels) == label


def test_tier_quotas_by_method():
    assert tier_quotas(PLACES, 20) == (1, 1, 1)
    assert tier_quotas(QUOTAS_123, 20) == (1, 2, 3)
    assert tier_quotas(RATIOS, 20) == (2, 4, 6)
    with pytest.raises(ValueError):
        tier_quotas(WINDOW, 20)


def test_default_rule_is_valid():
    assert validate_rule(AwardRule()) == []
    assert validate_rule(MINIMUM_60) == []
    assert validate_rule(SMALL_TOP_HALF) == []


def test_values_at_each_limit_are_valid():
    rule = AwardRule(method=Method.QUOTAS, quotas=(0, 0, 0), ratios=(D(0), D(0), D(1)),
                     tie_window=D(0), minimum_score=D(0),
                     small_field=((1, 0), (2, 3), (5, 3)), titles=(TitleRule("技术标兵", 1),))
    assert validate_rule(rule) == []


@pytest.mark.parametrize(
    "rule, column",
    [
        (AwardRule(method="lottery"), "method"),
        (AwardRule(quotas=(1, -1, 3)), "quotas"),
        (AwardRule(quotas=(1, 2)), "quotas"),
        (AwardRule(ratios=(D("0.5"), D("0.4"), D("0.2"))), "ratios"),
        (AwardRule(ratios=(D("-0.1"), D("0.2"), D("0.3"))), "ratios"),
        (AwardRule(ratio_rounding="banker"), "ratio_rounding"),
        (AwardRule(tie_window=D(-1)), "tie_window"),
        (AwardRule(excellence="everyone"), "excellence"),
        (AwardRule(excellence="threshold"), "excellence_threshold"),
        (AwardRule(minimum_score=D(-5)), "minimum_score"),
        (AwardRule(small_field=((0, 1),)), "small_field"),
        (AwardRule(small_field=((6, 4),)), "small_field"),
        (AwardRule(small_field=((6, 3), (6, 2))), "small_field"),
        (AwardRule(small_field=((6, 1), (4, 3))), "small_field"),
        (AwardRule(titles=(TitleRule("", 5),)), "titles"),
        (AwardRule(titles=(TitleRule("技术能手", 5), TitleRule("技术能手", 3))), "titles"),
        (AwardRule(titles=(TitleRule("技术能手", 0),)), "titles"),
        (AwardRule(labels="stars"), "labels"),
    ],
    ids=[
        "unknown-method",
        "negative-quota",
        "two-quotas",
        "ratios-over-one",
        "negative-ratio",
        "unknown-rounding",
        "negative-window",
        "unknown-excellence",
        "threshold-missing",
        "negative-minimum",
        "small-field-size-0",
        "small-field-4-tiers",
        "small-field-size-twice",
        "small-field-smaller-gets-more",
        "title-without-name",
        "title-twice",
        "title-place-0",
        "unknown-labels",
    ],
)
def test_validate_rule_reports_the_field(rule, column):
    problems = validate_rule(rule)
    assert [p.column for p in problems] == [column]
    assert all(p.render() for p in problems)


# Properties ------------------------------------------------------------------------------------

fields = st.lists(
    st.tuples(
        st.integers(min_value=40, max_value=60),
        st.sampled_from(["registered"] * 6 + ["withdrawn", "absent", "disqualified"]),
    ),
    max_size=30,
).map(
    lambda rows: rank(
        EntrantScore(i, D(total), status) for i, (total, status) in enumerate(rows, start=1)
    )
)
ratio_sets = st.sampled_from(
    [
        (D("0.1"), D("0.2"), D("0.3")),
        (D("0.05"), D("0.15"), D("0.25")),
        (D("0.3"), D("0.3"), D("0.4")),
        (D(0), D("0.5"), D(0)),
    ]
)
quota_rules = st.builds(
    AwardRule,
    method=st.sampled_from([Method.PLACES, Method.QUOTAS, Method.RATIOS]),
    quotas=st.tuples(*[st.integers(min_value=0, max_value=4)] * 3),
    ratios=ratio_sets,
    ratio_rounding=st.sampled_from(["half_up", "floor", "ceil"]),
    ratio_min_one=st.booleans(),
)
rules = st.builds(
    AwardRule,
    method=st.sampled_from(list(Method)),
    quotas=st.tuples(*[st.integers(min_value=0, max_value=4)] * 3),
    ratios=ratio_sets,
    ratio_rounding=st.sampled_from(["half_up", "floor", "ceil"]),
    ratio_min_one=st.booleans(),
    tie_window=st.integers(min_value=0, max_value=3).map(D),
    excellence=st.sampled_from([None, "top_half", "threshold"]),
    excellence_threshold=st.just(D(50)),
    minimum_score=st.none() | st.integers(min_value=40, max_value=60).map(D),
    small_field=st.sampled_from([None, SMALL_FIELD]),
    titles=st.sampled_from([(), (JISHU_NENGSHOU,)]),
)


def worth(award: Award) -> tuple:
    """Smaller is better: tier (none worst), then excellence, then more titles."""
    return (award.tier or 4, not award.excellence, -len(award.titles))


@given(fields, rules)
def test_valid_generated_rules(field, rule):
    assert validate_rule(rule) == []


@given(fields, rules)
def test_tied_entrants_get_the_same_award(field, rule):
    awards = decide_awards(field, rule)
    for a in field:
        for b in field:
            if a.place is not None and a.place == b.place:
                assert awards[a.entrant_id] == awards[b.entrant_id]


@given(fields, rules)
def test_a_higher_score_never_gets_a_worse_place_or_award(field, rule):
    awards = decide_awards(field, rule)
    ranked = [r for r in field if r.place is not None]
    for a in ranked:
        for b in ranked:
            if a.total > b.total:
                assert a.place < b.place
                assert worth(awards[a.entrant_id]) <= worth(awards[b.entrant_id])


@given(fields, rules)
def test_unranked_entrants_never_win(field, rule):
    awards = decide_awards(field, rule)
    assert set(awards) == {r.entrant_id for r in field}
    assert all(awards[r.entrant_id] == NO_AWARD for r in field if r.place is None)


@given(fields, quota_rules)
def test_a_quota_overflows_only_through_a_tie_at_its_boundary(field, rule):
    awards = decide_awards(field, rule)
    quotas = tier_quotas(rule, sum(1 for r in field if r.place is not None))
    for tier, quota in zip(Tier, quotas):
        places = [r.place for r in field if awards[r.entrant_id].tier == tier]
        if len(places) > quota:
            boundary_tie = places.count(max(places))
            assert boundary_tie > 1
            assert len(places) - boundary_tie < quota


def rule_counts(rule: AwardRule, field_size: int) -> list[int]:
    """Places per tier, restated from DOMAIN.md (Awards) in exact fractions: places 1/1/1, the
    quotas, or each ratio × N rounded by the rule (half up, floor, ceil), at least 1 while
    entrants are left (when asked and the ratio is above 0), never more than are left."""
    if rule.method == Method.PLACES:
        return [1, 1, 1]
    if rule.method == Method.QUOTAS:
        return list(rule.quotas)
    left, counts = field_size, []
    for ratio in rule.ratios:
        exact = Fraction(ratio) * field_size
        count = {"half_up": math.floor(exact + Fraction(1, 2)), "floor": math.floor(exact),
                 "ceil": math.ceil(exact)}[rule.ratio_rounding]
        if rule.ratio_min_one and ratio > 0 and left > 0:
            count = max(count, 1)
        count = min(count, left)
        counts.append(count)
        left -= count
    return counts


@given(fields, quota_rules)
def test_quota_methods_give_the_tier_of_the_place(field, rule):
    # An independent oracle: the tier whose cumulative quota first reaches the entrant's place.
    counts = rule_counts(rule, sum(1 for r in field if r.place is not None))
    bounds = [sum(counts[: t + 1]) for t in range(3)]
    awards = decide_awards(field, rule)
    for r in field:
        tier = None
        if r.place is not None:
            tier = next((t for t, bound in zip(Tier, bounds) if r.place <= bound), None)
        assert awards[r.entrant_id] == Award(tier, False, ())


@given(fields)
def test_a_tie_window_of_zero_is_the_places_rule(field):
    zero = AwardRule(method=Method.TIE_WINDOW, tie_window=D(0))
    assert decide_awards(field, zero) == decide_awards(field, PLACES)
