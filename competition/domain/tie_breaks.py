"""Tie-break chains (DOMAIN.md, "Ranking", rule 3): rules as data on the trade, resolved by name.

A trade stores its chain as a list of ``{"key": "<kind>:<parameter>", "higher_is_better": bool}``
(the order is the order of the chain). Each kind is registered here with how it reads an
entrant's value from the facts the results engine gathers:

- ``criterion:<code>`` — the entrant's mark in the trade's criterion with that code (higher wins
  by default).

A link whose kind is unknown, or whose parameter names nothing the trade has, gives every entrant
no value: it breaks no tie (an entrant lacking a value never beats one that has it, see
:func:`competition.domain.ranking.rank`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from competition.domain.messages import N_
from competition.domain.ranking import TieBreak


@dataclass(frozen=True)
class TieFacts:
    """What the tie-break kinds may read of one entrant: criterion marks by criterion code."""

    criteria: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    """A registered tie-break kind: its label (an untranslated message with ``%(param)s``), its
    usual direction and how it reads an entrant's value."""

    label: str
    higher_is_better: bool
    value: Callable[[TieFacts, str], Decimal | None]


KINDS: dict[str, Kind] = {
    "criterion": Kind(N_("higher mark in criterion %(param)s"), True,
                      lambda facts, code: facts.criteria.get(code)),
}


@dataclass(frozen=True)
class Link:
    """One link of a stored chain: ``kind`` and ``param`` from the key, and its direction."""

    kind: str
    param: str
    higher_is_better: bool

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.param}"

    @property
    def known(self) -> bool:
        return self.kind in KINDS


def parse_chain(stored: Sequence[Mapping] | None) -> list[Link]:
    """The trade's stored chain as links, in order; entries without a key are left out."""
    links = []
    for item in stored or ():
        key = str(item.get("key", "")).strip()
        if not key:
            continue
        kind, _, param = key.partition(":")
        default = KINDS[kind].higher_is_better if kind in KINDS else True
        links.append(Link(kind, param, bool(item.get("higher_is_better", default))))
    return links


def resolve(chain: Sequence[Link], facts: Mapping[int, TieFacts]
            ) -> tuple[list[TieBreak], dict[int, dict[str, Decimal | None]]]:
    """The chain as the ranking takes it, and each entrant's tie values by link key."""
    breaks = [TieBreak(link.key, link.higher_is_better) for link in chain]
    values = {
        entrant_id: {link.key: KINDS[link.kind].value(entrant, link.param) if link.known else None
                     for link in chain}
        for entrant_id, entrant in facts.items()
    }
    return breaks, values
