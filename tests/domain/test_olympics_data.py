"""The medal table against the real one: every medal of the Paris 2024 Olympic Games.

Data: ``tests/data/olympics-paris-2024`` in the repository (see SOURCE.txt and README.md there; the
tests fail, never skip, when it is missing). medals.csv has one row per medal awarded (a team
medal once; 57 events with two bronzes, one with two silvers and no bronze); medals_total.csv is
the official table by NOC, in the official gold-first order (equal rows listed by NOC code).
"""

import csv
from collections import Counter
from pathlib import Path

import pytest

from competition.domain.awards import Tier
from competition.domain.medal_table import AwardLine, MedalRow, Order, medal_table

# In the repository (tests/data/), built from ../shared/data by tests/data/extract.py.
DATA = Path(__file__).resolve().parents[1] / "data" / "olympics-paris-2024"
FILES = ("medals.csv", "medals_total.csv")


def read(name: str) -> list[dict[str, str]]:
    if not (DATA / name).is_file():
        pytest.fail(f"real data missing: {DATA / name} belongs to the repository")
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_data_ships_with_the_repository():
    assert [name for name in FILES if not (DATA / name).is_file()] == []


@pytest.fixture(scope="module")
def official() -> list[tuple[str, int, int, int, int]]:
    """(NOC, gold, silver, bronze, total) in the file's order."""
    return [
        (
            row["country_code"],
            int(row["Gold Medal"]),
            int(row["Silver Medal"]),
            int(row["Bronze Medal"]),
            int(row["Total"]),
        )
        for row in read("medals_total.csv")
    ]


@pytest.fixture(scope="module")
def delegations(official) -> dict[int, str]:
    return {i: noc for i, (noc, *_) in enumerate(official, start=1)}


@pytest.fixture(scope="module")
def lines(delegations) -> list[AwardLine]:
    id_of = {noc: i for i, noc in delegations.items()}
    return [
        AwardLine(id_of[row["country_code"]], tier_of(row)) for row in read("medals.csv")
    ]


MEDAL_TYPES = {"Gold Medal": Tier.FIRST, "Silver Medal": Tier.SECOND, "Bronze Medal": Tier.THIRD}


def tier_of(row: dict[str, str]) -> Tier:
    """medal_code 1/2/3 → tier. The scrape wrote nine codes as "1.0" etc. and left one empty
    (a badminton bronze); the medal type, present on every row, agrees with every code given."""
    tier = MEDAL_TYPES[row["medal_type"]]
    if row["medal_code"]:
        assert Tier(int(float(row["medal_code"]))) == tier
    return tier


def competition_ranks(keys: dict[str, tuple[int, ...]]) -> dict[str, int]:
    """Standard competition ranking, stated independently: 1 + the number strictly better."""
    return {noc: 1 + sum(1 for other in keys.values() if other > key) for noc, key in keys.items()}


def test_the_data_is_the_whole_games(official, lines):
    assert len(official) == 92
    assert len(lines) == 1044
    assert [sum(1 for line in lines if line.tier == t) for t in Tier] == [329, 330, 385]


def test_the_data_holds_the_tied_events():
    """329 events: 271 with gold, silver and bronze, 57 with two bronzes (repechage), one with two
    silvers and no bronze (men's 100 m breaststroke), so the table is tested on shared medals."""
    events: dict[tuple[str, str], list[Tier]] = {}
    for row in read("medals.csv"):
        events.setdefault((row["discipline"], row["event"]), []).append(tier_of(row))
    shapes = Counter(tuple(sorted(tiers)) for tiers in events.values())
    G, S, B = Tier
    assert shapes == {(G, S, B): 271, (G, S, B, B): 57, (G, S, S): 1}
    [two_silvers] = [event for event, tiers in events.items() if tiers.count(S) == 2]
    assert two_silvers == ("Swimming", "Men's 100m Breaststroke")


@pytest.mark.parametrize("order", list(Order))
def test_counts_equal_the_official_table_for_every_noc(official, delegations, lines, order):
    table = medal_table(delegations, lines, order)
    got = {row.name: (row.gold, row.silver, row.bronze, row.total) for row in table}
    assert got == {noc: (g, s, b, total) for noc, g, s, b, total in official}
    assert all(row.points == 4 * row.gold + 3 * row.silver + 2 * row.bronze for row in table)


def test_gold_first_ranks_equal_the_official_ranking(official, delegations, lines):
    expected = competition_ranks({noc: (g, s, b) for noc, g, s, b, _ in official})
    table = medal_table(delegations, lines, Order.GOLD)
    assert {row.name: row.rank for row in table} == expected


def test_gold_first_lists_the_nocs_in_the_official_order(official, delegations, lines):
    table = medal_table(delegations, lines, Order.GOLD)
    assert [row.name for row in table] == [noc for noc, *_ in official]
    # The file's order is itself gold, silver, bronze, then NOC code.
    assert official == sorted(official, key=lambda r: (-r[1], -r[2], -r[3], r[0]))


# Equal rows share a rank (AZE = CRO at 30, then CUB 32). AIN (individual neutral athletes) holds
# a row here, so the ranks below it are one more than in tables that leave it unranked.
@pytest.mark.parametrize(
    "noc, rank",
    [
        ("USA", 1), ("CHN", 2), ("JPN", 3), ("AUS", 4), ("FRA", 5), ("GBR", 7),
        ("AZE", 30), ("CRO", 30), ("CUB", 32), ("JAM", 44), ("THA", 44), ("AIN", 47),
        ("DMA", 63), ("PAK", 63), ("TUR", 65), ("CIV", 85), ("ZAM", 85),
    ],
    ids=lambda v: str(v),
)
def test_gold_first_hand_checked_ranks(delegations, lines, noc, rank):
    table = {row.name: row for row in medal_table(delegations, lines, Order.GOLD)}
    assert table[noc].rank == rank


def test_total_first_order_is_consistent(official, delegations, lines):
    expected = competition_ranks({noc: (t, g, s, b) for noc, g, s, b, t in official})
    table = medal_table(delegations, lines, Order.TOTAL)
    assert {row.name: row.rank for row in table} == expected
    assert [row.rank for row in table] == sorted(row.rank for row in table)
    assert [row.name for row in table[:6]] == ["USA", "CHN", "GBR", "FRA", "AUS", "JPN"]
    assert [row.total for row in table[:6]] == [126, 91, 65, 64, 53, 45]


def test_points_order_is_consistent(official, delegations, lines):
    expected = competition_ranks(
        {noc: (4 * g + 3 * s + 2 * b, g, s, b) for noc, g, s, b, _ in official}
    )
    table = medal_table(delegations, lines, Order.POINTS)
    assert {row.name: row.rank for row in table} == expected
    assert table[0] == MedalRow(1, 1, "USA", 40, 44, 42, 0, 126, 376)
