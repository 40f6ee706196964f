"""Entrants (DOMAIN.md, "Words"): what is ranked — a contestant in an individual trade, a team in
a pair or team trade — and the status that decides whether it competes."""

from __future__ import annotations

from enum import StrEnum


class EntryType(StrEnum):
    INDIVIDUAL = "individual"
    PAIR = "pair"
    TEAM = "team"


def team_size_for(entry_type: EntryType | str, team_size: int) -> int:
    """The team size an entry type allows: 1 for individuals, 2 for pairs, as given for teams."""
    if entry_type == EntryType.INDIVIDUAL:
        return 1
    if entry_type == EntryType.PAIR:
        return 2
    return team_size


class EntrantStatus(StrEnum):
    REGISTERED = "registered"
    WITHDRAWN = "withdrawn"
    ABSENT = "absent"
    DISQUALIFIED = "disqualified"


COMPETING: frozenset[EntrantStatus] = frozenset({EntrantStatus.REGISTERED})
"""Entrants who are marked, ranked and count towards completeness."""

UNRANKED: frozenset[EntrantStatus] = frozenset(
    {EntrantStatus.WITHDRAWN, EntrantStatus.ABSENT, EntrantStatus.DISQUALIFIED})
"""Listed with the results but given no place (DOMAIN.md, "Ranking", rule 1)."""

OFF_QUOTA: frozenset[EntrantStatus] = frozenset({EntrantStatus.WITHDRAWN})
"""Entrants who no longer count against their delegation's quota."""


def competes(status: EntrantStatus | str) -> bool:
    return status in COMPETING
