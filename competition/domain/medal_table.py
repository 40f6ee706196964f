"""The medal table of an event: delegations ranked by the awards their entrants won.

DOMAIN.md, Medal table: it counts only published, non-demonstration trades and only entrants
competing for their delegation; a team's award counts once. The caller passes one
:class:`AwardLine` per awarded entrant of the published trades (a team is one entrant), never one
per team member, and never a title (a title does not count).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from competition.domain.awards import Tier


class Order(StrEnum):
    """How the table is ordered: see :func:`medal_table`."""

    GOLD = "gold"
    TOTAL = "total"
    POINTS = "points"


POINTS: tuple[int, int, int, int] = (4, 3, 2, 1)
"""Medal points for gold, silver, bronze and excellence (the WorldSkills default)."""


@dataclass(frozen=True)
class AwardLine:
    """One entrant's award, counted for its delegation."""

    delegation_id: int
    tier: Tier | None
    excellence: bool = False
    demonstration: bool = False


@dataclass(frozen=True)
class MedalRow:
    """One delegation's line in the table; ``total`` is gold + silver + bronze (no excellence)."""

    rank: int
    delegation_id: int
    name: str
    gold: int
    silver: int
    bronze: int
    excellence: int
    total: int
    points: int


def _rank_key(row: MedalRow, order: str) -> tuple[int, ...]:
    """The counts compared for a rank, most important first; higher is better."""
    if order == Order.GOLD:
        return (row.gold, row.silver, row.bronze)
    if order == Order.TOTAL:
        return (row.total, row.gold, row.silver, row.bronze)
    if order == Order.POINTS:
        return (row.points, row.gold, row.silver, row.bronze)
    raise ValueError(f"unknown medal table order {order}")


def medal_table(
    delegations: Mapping[int, str],
    lines: Iterable[AwardLine],
    order: str = Order.GOLD,
    points: tuple[int, int, int, int] = POINTS,
) -> list[MedalRow]:
    """The medal table: one row per delegation of ``delegations`` (id → name), ranked.

    Counting: each line adds one to its delegation's gold, silver or bronze by its tier; a line
    without a tier but with excellence adds one excellence (excellence never comes with a tier,
    so a line with both counts only its tier). Demonstration lines are ignored. ``total`` is
    gold + silver + bronze; ``points`` is gold × points[0] + silver × points[1] + bronze ×
    points[2] + excellence × points[3] (default 4/3/2/1).

    Ranking, by ``order``, each count higher first:

    - ``gold`` (Olympic): gold, then silver, then bronze;
    - ``total`` (奖牌总数): total, then gold, silver, bronze;
    - ``points``: points, then gold, silver, bronze.

    Rows equal on those counts share a rank and the next ranks are skipped (1, 2, 2, 4); a rank
    is 1 + the number of rows strictly better. Within a shared rank rows are listed by excellence
    (more first), then by name, then by id: this order is for display only. Delegations that won
    nothing therefore come last, sharing the last rank by the same rule.

    Raises ValueError for a line whose delegation is not in ``delegations``.
    """
    counts = {delegation_id: [0, 0, 0, 0] for delegation_id in delegations}
    for line in lines:
        if line.demonstration:
            continue
        if line.delegation_id not in counts:
            raise ValueError(f"delegation {line.delegation_id} is not in the event")
        if line.tier is not None:
            counts[line.delegation_id][line.tier - 1] += 1
        elif line.excellence:
            counts[line.delegation_id][3] += 1

    rows = [
        MedalRow(
            rank=0,
            delegation_id=delegation_id,
            name=delegations[delegation_id],
            gold=gold,
            silver=silver,
            bronze=bronze,
            excellence=excellence,
            total=gold + silver + bronze,
            points=sum(n * p for n, p in zip((gold, silver, bronze, excellence), points)),
        )
        for delegation_id, (gold, silver, bronze, excellence) in counts.items()
    ]
    rows.sort(
        key=lambda row: (
            tuple(-count for count in _rank_key(row, order)),
            -row.excellence,
            row.name,
            row.delegation_id,
        )
    )
    table: list[MedalRow] = []
    for position, row in enumerate(rows, start=1):
        shares = table and _rank_key(table[-1], order) == _rank_key(row, order)
        rank = table[-1].rank if shares else position
        table.append(replace(row, rank=rank))
    return table

