"""Ranking rules (DOMAIN.md, Ranking), as tables."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.domain.ranking import (
    UNRANKED_STATUSES,
    EntrantScore,
    Ranked,
    TieBreak,
    rank,
)

D = Decimal


def scores(totals: dict[int, int | str | None]) -> list[EntrantScore]:
    return [EntrantScore(i, None if t is None else D(t)) for i, t in totals.items()]


@pytest.mark.parametrize(
    "totals, places",
    [
        ({1: 90, 2: 85, 3: 80}, {1: 1, 2: 2, 3: 3}),
        ({1: 90, 2: 90, 3: 80}, {1: 1, 2: 1, 3: 3}),
        ({1: 90, 2: 85, 3: 85, 4: 70}, {1: 1, 2: 2, 3: 2, 4: 4}),
        ({1: 70, 2: 70, 3: 70}, {1: 1, 2: 1, 3: 1}),
        ({1: 60, 2: 80, 3: 80, 4: 80, 5: 90}, {5: 1, 2: 2, 3: 2, 4: 2, 1: 5}),
        ({1: "85.5", 2: "85.50", 3: "85.49"}, {1: 1, 2: 1, 3: 3}),
        ({7: 50}, {7: 1}),
        ({}, {}),
    ],
    ids=[
        "distinct",
        "tie-at-top-shares-gold-no-silver",
        "tie-in-middle-skips-place-4",
        "everyone-tied",
        "three-way-tie-then-place-5",
        "decimal-places-do-not-matter-only-value",
        "single-entrant",
        "empty-trade",
    ],
)
def test_rank_shares_places_and_skips(totals, places):
    assert {r.entrant_id: r.place for r in rank(scores(totals))} == places


def test_tied_flag_marks_shared_places_only():
    result = rank(scores({1: 90, 2: 85, 3: 85, 4: 70}))
    assert {r.entrant_id: r.tied for r in result} == {1: False, 2: True, 3: True, 4: False}


def test_output_is_ordered_by_place_then_entrant_id():
    result = rank(scores({9: 80, 3: 90, 5: 80, 1: 70}))
    assert [(r.place, r.entrant_id) for r in result] == [(1, 3), (2, 5), (2, 9), (4, 1)]


def test_ranked_line_carries_total_and_status():
    assert rank([EntrantScore(4, D("88.25"))]) == [Ranked(4, D("88.25"), 1, False, "registered")]


@pytest.mark.parametrize("status", sorted(UNRANKED_STATUSES))
def test_unranked_status_gets_no_place_and_is_listed_last(status):
    entrants = [
        EntrantScore(1, D(99), status=status),
        EntrantScore(2, D(80)),
        EntrantScore(3, D(70)),
    ]
    result = rank(entrants)
    assert [(r.entrant_id, r.place, r.status) for r in result] == [
        (2, 1, "registered"),
        (3, 2, "registered"),
        (1, None, status),
    ]


def test_no_total_means_not_ranked():
    result = rank(scores({1: None, 2: 50, 3: None}))
    assert [(r.entrant_id, r.place, r.tied) for r in result] == [
        (2, 1, False),
        (1, None, False),
        (3, None, False),
    ]


def test_unranked_statuses_are_the_three_of_the_rulebook():
    assert UNRANKED_STATUSES == {"withdrawn", "absent", "disqualified"}


TIME = TieBreak("time", higher_is_better=False)
PRACTICAL = TieBreak("practical")
THEORY = TieBreak("theory")
CHINESE_CHAIN = (TIME, PRACTICAL, THEORY)


def tied_at_90(*tie_values: dict[str, int | None]) -> list[EntrantScore]:
    return [
        EntrantScore(i, D(90), tie_values={k: None if v is None else D(v) for k, v in tv.items()})
        for i, tv in enumerate(tie_values, start=1)
    ]


@pytest.mark.parametrize(
    "entrants, places",
    [
        (tied_at_90({"time": 50}, {"time": 45}), {2: 1, 1: 2}),
        (
            tied_at_90({"time": 45, "practical": 60}, {"time": 45, "practical": 65}),
            {2: 1, 1: 2},
        ),
        (
            tied_at_90(
                {"time": 45, "practical": 60, "theory": 30},
                {"time": 45, "practical": 60, "theory": 29},
            ),
            {1: 1, 2: 2},
        ),
        (
            tied_at_90(
                {"time": 45, "practical": 60, "theory": 30},
                {"time": 45, "practical": 60, "theory": 30},
                {"time": 50},
            ),
            {1: 1, 2: 1, 3: 3},
        ),
        (tied_at_90({"time": 45}, {"time": None}, {}), {1: 1, 2: 2, 3: 2}),
        (tied_at_90({"practical": 1}, {"time": 999}), {2: 1, 1: 2}),
    ],
    ids=[
        "shorter-time-wins",
        "same-time-higher-practical-wins",
        "same-time-and-practical-higher-theory-wins",
        "equal-on-whole-chain-share-place",
        "missing-value-loses-to-present-two-missing-equal",
        "earlier-link-decides-even-with-later-value-missing",
    ],
)
def test_tie_break_chain_time_practical_theory(entrants, places):
    result = rank(entrants, CHINESE_CHAIN)
    assert {r.entrant_id: r.place for r in result} == places


def test_tie_break_never_overrides_the_total():
    entrants = [
        EntrantScore(1, D(91), tie_values={"practical": D(0)}),
        EntrantScore(2, D(90), tie_values={"practical": D(100)}),
    ]
    assert [r.entrant_id for r in rank(entrants, (PRACTICAL,))] == [1, 2]


def test_without_tie_breaks_tie_values_are_ignored():
    result = rank(tied_at_90({"practical": 1}, {"practical": 2}))
    assert [r.place for r in result] == [1, 1]


def test_an_entrant_twice_is_refused():
    with pytest.raises(ValueError):
        rank(scores({1: 1}) + scores({1: 2}))


def test_tie_values_cannot_be_changed_after_the_fact():
    values = {"time": D(3)}
    entrant = EntrantScore(1, D(1), tie_values=values)
    values["time"] = D(1)
    assert entrant.tie_values["time"] == D(3)
    with pytest.raises(TypeError):
        entrant.tie_values["time"] = D(2)  # type: ignore[index]


# Properties ---------------------------------------------------------------------------------

totals = st.decimals(min_value=0, max_value=20, places=1)
tie_value = st.none() | st.integers(min_value=0, max_value=3).map(D)
entrant_lists = st.lists(
    st.tuples(
        st.none() | totals,
        st.sampled_from(["registered", "registered", "registered", *sorted(UNRANKED_STATUSES)]),
        tie_value,
        tie_value,
    ),
    max_size=25,
).map(
    lambda rows: [
        EntrantScore(i, total, status, {"time": time, "practical": practical})
        for i, (total, status, time, practical) in enumerate(rows, start=1)
    ]
)
chains = st.lists(st.sampled_from([TIME, PRACTICAL]), max_size=2, unique=True)


def _key(entrant: EntrantScore, chain) -> tuple:
    """An independent restatement of 'better': total, then each link; missing loses."""
    key = [entrant.total]
    for link in chain:
        value = entrant.tie_values.get(link.key)
        if value is None:
            key.append((False, D(0)))
        else:
            key.append((True, value if link.higher_is_better else -value))
    return tuple(key)


@given(entrant_lists, chains)
def test_place_is_one_plus_the_number_strictly_better(entrants, chain):
    result = rank(entrants, chain)
    by_id = {e.entrant_id: e for e in entrants}
    ranked = [r for r in result if r.place is not None]
    keys = {r.entrant_id: _key(by_id[r.entrant_id], chain) for r in ranked}
    for r in ranked:
        better = sum(1 for key in keys.values() if key > keys[r.entrant_id])
        equal = sum(1 for key in keys.values() if key == keys[r.entrant_id])
        assert r.place == 1 + better
        assert r.tied == (equal > 1)


@given(entrant_lists, chains)
def test_places_are_one_based_non_decreasing_and_unranked_last(entrants, chain):
    result = rank(entrants, chain)
    assert sorted(r.entrant_id for r in result) == sorted(e.entrant_id for e in entrants)
    places = [r.place for r in result if r.place is not None]
    assert places == sorted(places)
    assert not places or places[0] == 1
    first_unranked = next((i for i, r in enumerate(result) if r.place is None), len(result))
    assert all(r.place is None for r in result[first_unranked:])
    assert all(
        r.place is None
        for r in result
        if r.status in UNRANKED_STATUSES or r.total is None
    )


@given(entrant_lists, chains)
def test_a_higher_total_never_gets_a_worse_place(entrants, chain):
    ranked = [r for r in rank(entrants, chain) if r.place is not None]
    for a in ranked:
        for b in ranked:
            if a.total > b.total:
                assert a.place < b.place


@given(entrant_lists, chains)
def test_order_of_input_does_not_matter(entrants, chain):
    assert rank(entrants, chain) == rank(list(reversed(entrants)), chain)
