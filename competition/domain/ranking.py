"""Ranking the entrants of one trade: who is placed where.

The rule (DOMAIN.md, Ranking):

1. Entrants with status withdrawn, absent or disqualified are not ranked, nor is an entrant with no
   total (no marks); they are listed after the ranked entrants, with no place.
2. Ranked entrants are ordered by final score, high to low.
3. Ties are broken by the trade's tie-break chain, in order.
4. Entrants still equal share the place and the following places are skipped (standard
   competition ranking, "1, 2, 2, 4").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from competition.domain.entrants import UNRANKED as UNRANKED_STATUSES


@dataclass(frozen=True)
class TieBreak:
    """One link of a trade's tie-break chain: compare the entrants' tie value named ``key``.

    ``higher_is_better=True`` for a criterion score (the higher practical score wins),
    ``False`` for a completion time (the shorter time wins).
    """

    key: str
    higher_is_better: bool = True


@dataclass(frozen=True)
class EntrantScore:
    """What ranking needs of one entrant: its final score, its status and its tie values.

    ``total`` is None when the entrant has no marks; ``tie_values`` maps a tie-break key to the
    entrant's value for it (None or absent when it has none).
    """

    entrant_id: int
    total: Decimal | None
    status: str = "registered"
    tie_values: Mapping[str, Decimal | None] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tie_values", MappingProxyType(dict(self.tie_values)))

    @property
    def is_ranked(self) -> bool:
        """True when the entrant takes part in the ranking: a ranked status and a total."""
        return self.status not in UNRANKED_STATUSES and self.total is not None


@dataclass(frozen=True)
class Ranked:
    """One line of a ranking: the entrant's place (None when not ranked), whether it is shared."""

    entrant_id: int
    total: Decimal | None
    place: int | None
    tied: bool
    status: str


def _order_key(entrant: EntrantScore, tie_breaks: Sequence[TieBreak]) -> tuple:
    """Sort key, smallest first: total descending, then each tie-break, a missing value last."""
    assert entrant.total is not None
    key: list = [-entrant.total]
    for tie_break in tie_breaks:
        value = entrant.tie_values.get(tie_break.key)
        if value is None:
            key.append((1, Decimal(0)))
        else:
            key.append((0, -value if tie_break.higher_is_better else value))
    return tuple(key)


def rank(entrants: Iterable[EntrantScore], tie_breaks: Sequence[TieBreak] = ()) -> list[Ranked]:
    """Rank the entrants of one trade by standard competition ranking ("1, 2, 2, 4").

    - Entrants whose status is in ``UNRANKED_STATUSES`` (withdrawn, absent, disqualified) or whose
      total is None are not ranked: place None, ``tied`` False, listed after every ranked entrant,
      by entrant id.
    - Ranked entrants are ordered by total, higher first. Equal totals are compared by each
      tie-break in turn: a higher value wins, or a lower one when ``higher_is_better`` is False;
      an entrant lacking the tie value loses to one who has it; two missing values are equal.
    - Entrants equal on the total and on every tie-break share a place, marked ``tied``. An
      entrant's place is 1 + the number of entrants strictly better, so the places after a shared
      place are skipped (1, 2, 2, 4).
    - Output order is deterministic: place, then entrant id.

    Raises ValueError when an entrant id appears twice.
    """
    entrants = list(entrants)
    ids = [entrant.entrant_id for entrant in entrants]
    if len(set(ids)) != len(ids):
        raise ValueError("an entrant appears twice in one ranking")

    keyed = sorted(
        ((_order_key(e, tie_breaks), e) for e in entrants if e.is_ranked),
        key=lambda pair: (pair[0], pair[1].entrant_id),
    )
    result: list[Ranked] = []
    start = 0
    while start < len(keyed):
        end = start
        while end < len(keyed) and keyed[end][0] == keyed[start][0]:
            end += 1
        tied = end - start > 1
        result.extend(
            Ranked(e.entrant_id, e.total, start + 1, tied, e.status) for _, e in keyed[start:end]
        )
        start = end

    unranked = sorted((e for e in entrants if not e.is_ranked), key=lambda e: e.entrant_id)
    result.extend(Ranked(e.entrant_id, e.total, None, False, e.status) for e in unranked)
    return result
