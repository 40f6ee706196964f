"""Medal table rules (DOMAIN.md, Medal table), as tables."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.domain.awards import Tier
from competition.domain.medal_table import POINTS, AwardLine, MedalRow, Order, medal_table

G, S, B = Tier.FIRST, Tier.SECOND, Tier.THIRD
DELEGATIONS = {1: "Anhui", 2: "Beijing", 3: "Chongqing", 4: "Dalian", 5: "Fujian", 6: "Guangxi"}


def lines_for(delegation_id: int, *tiers: Tier | None, excellence: int = 0) -> list[AwardLine]:
    return [AwardLine(delegation_id, tier) for tier in tiers] + [
        AwardLine(delegation_id, None, excellence=True) for _ in range(excellence)
    ]


#            gold silver bronze excellence total points
# Anhui        1    0     3      0          4     10
# Beijing      1    2     0      0          3     10
# Chongqing    0    3     2      0          5     13
# Dalian       1    0     3      0          4     10   (equal to Anhui on every count)
# Fujian       0    0     0      2          0      2
# Guangxi      0    0     0      0          0      0   (its gold is in a demonstration trade)
LINES = [
    *lines_for(1, G, B, B, B),
    *lines_for(2, G, S, S),
    *lines_for(3, S, S, S, B, B),
    *lines_for(4, B, G, B, B),
    *lines_for(5, excellence=2),
    AwardLine(6, G, demonstration=True),
    AwardLine(6, None, excellence=True, demonstration=True),
]


@pytest.mark.parametrize(
    "order, expected",
    [
        (Order.GOLD, [(1, "Beijing"), (2, "Anhui"), (2, "Dalian"), (4, "Chongqing"),
                      (5, "Fujian"), (5, "Guangxi")]),
        (Order.TOTAL, [(1, "Chongqing"), (2, "Anhui"), (2, "Dalian"), (4, "Beijing"),
                       (5, "Fujian"), (5, "Guangxi")]),
        (Order.POINTS, [(1, "Chongqing"), (2, "Beijing"), (3, "Anhui"), (3, "Dalian"),
                        (5, "Fujian"), (6, "Guangxi")]),
    ],
    ids=[
        "gold-first-silver-decides-equal-rows-share-2-then-4",
        "total-first-5-beats-4-beats-3",
        "points-equal-10-split-by-gold-then-silver",
    ],
)
def test_orders_and_shared_ranks(order, expected):
    table = medal_table(DELEGATIONS, LINES, order)
    assert [(row.rank, row.name) for row in table] == expected


def test_row_counts():
    rows = {row.name: row for row in medal_table(DELEGATIONS, LINES)}
    assert rows["Chongqing"] == MedalRow(4, 3, "Chongqing", 0, 3, 2, 0, 5, 13)
    assert rows["Fujian"] == MedalRow(5, 5, "Fujian", 0, 0, 0, 2, 0, 2)
    assert rows["Guangxi"] == MedalRow(5, 6, "Guangxi", 0, 0, 0, 0, 0, 0)


def test_demonstration_awards_never_count():
    only_demonstration = [AwardLine(1, G, demonstration=True), AwardLine(2, S)]
    rows = {row.delegation_id: row for row in medal_table({1: "A", 2: "B"}, only_demonstration)}
    assert (rows[1].gold, rows[1].total, rows[1].rank) == (0, 0, 2)
    assert (rows[2].silver, rows[2].rank) == (1, 1)


def test_a_team_award_is_one_line_and_counts_once():
    team_gold = [AwardLine(1, G)]  # one entrant, however many members
    assert medal_table({1: "A"}, team_gold)[0].gold == 1


def test_excellence_never_comes_with_a_tier():
    row = medal_table({1: "A"}, [AwardLine(1, B, excellence=True)])[0]
    assert (row.bronze, row.excellence, row.points) == (1, 0, 2)


@pytest.mark.parametrize(
    "points, expected",
    [
        (POINTS, {"Anhui": 10, "Beijing": 10, "Chongqing": 13, "Fujian": 2}),
        ((3, 2, 1, 0), {"Anhui": 6, "Beijing": 7, "Chongqing": 8, "Fujian": 0}),
    ],
    ids=["worldskills-4-3-2-1", "custom-3-2-1-0"],
)
def test_medal_points(points, expected):
    rows = medal_table(DELEGATIONS, LINES, Order.POINTS, points)
    assert {row.name: row.points for row in rows if row.name in expected} == expected


def test_delegations_without_awards_share_the_last_rank_at_the_bottom():
    table = medal_table({1: "Zhejiang", 2: "Anhui", 3: "Hebei"}, [AwardLine(1, B)])
    assert [(row.rank, row.name) for row in table] == [(1, "Zhejiang"), (2, "Anhui"), (2, "Hebei")]


def test_no_awards_at_all_everyone_first_listed_by_name():
    table = medal_table({2: "B", 1: "A"}, [])
    assert [(row.rank, row.name) for row in table] == [(1, "A"), (1, "B")]


def test_a_line_for_an_unknown_delegation_is_refused():
    with pytest.raises(ValueError):
        medal_table({1: "A"}, [AwardLine(9, G)])


# Properties ------------------------------------------------------------------------------------

award_lines = st.lists(
    st.builds(
        AwardLine,
        delegation_id=st.integers(min_value=1, max_value=8),
        tier=st.sampled_from([None, *Tier]),
        excellence=st.booleans(),
        demonstration=st.booleans(),
    ),
    max_size=60,
)
EIGHT = {i: f"D{i}" for i in range(1, 9)}


def key(row: MedalRow, order: Order) -> tuple:
    first = {Order.GOLD: (), Order.TOTAL: (row.total,), Order.POINTS: (row.points,)}[order]
    return (*first, row.gold, row.silver, row.bronze)


@given(award_lines, st.sampled_from(list(Order)))
def test_rank_is_one_plus_the_rows_strictly_better(lines, order):
    table = medal_table(EIGHT, lines, order)
    assert sorted(row.delegation_id for row in table) == sorted(EIGHT)
    for row in table:
        assert row.rank == 1 + sum(1 for other in table if key(other, order) > key(row, order))
    assert [row.rank for row in table] == sorted(row.rank for row in table)


@given(award_lines, st.sampled_from(list(Order)))
def test_rows_count_the_lines(lines, order):
    # An independent oracle: count each delegation's non-demonstration lines by hand.
    table = medal_table(EIGHT, lines, order)
    for row in table:
        own = [line for line in lines
               if line.delegation_id == row.delegation_id and not line.demonstration]
        gold, silver, bronze = (sum(1 for line in own if line.tier == t) for t in (G, S, B))
        excellence = sum(1 for line in own if line.tier is None and line.excellence)
        assert (row.name, row.gold, row.silver, row.bronze, row.excellence) == (
            EIGHT[row.delegation_id], gold, silver, bronze, excellence)
        assert row.total == gold + silver + bronze
        assert row.points == 4 * gold + 3 * silver + 2 * bronze + excellence


@given(award_lines)
def test_counts_do_not_depend_on_the_order(lines):
    def counts(order):
        return {
            row.delegation_id: (row.gold, row.silver, row.bronze, row.excellence, row.points)
            for row in medal_table(EIGHT, lines, order)
        }

    assert counts(Order.GOLD) == counts(Order.TOTAL) == counts(Order.POINTS)
    counted = [line for line in lines if not line.demonstration]
    assert sum(row.total for row in medal_table(EIGHT, lines)) == sum(
        1 for line in counted if line.tier is not None
    )
