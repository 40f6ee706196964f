"""What an event still lacks before the competition can start (the dashboard's checklist)."""

from __future__ import annotations

from dataclasses import dataclass, field

from competition.domain.messages import N_, Problem


@dataclass(frozen=True)
class TradeFacts:
    code: str
    has_scheme: bool
    scheme_problems: int
    judges: int
    chief_judges: int
    entrants: int = 0


@dataclass(frozen=True)
class EventFacts:
    delegations: int
    trades: tuple[TradeFacts, ...] = field(default_factory=tuple)
    has_dates: bool = True


def readiness(facts: EventFacts, min_judges: int = 3) -> list[Problem]:
    """The checklist: an event needs delegations and trades; every trade needs a valid marking
    scheme, a panel of at least ``min_judges`` judges and exactly one chief judge. Problems are
    listed event first, then by trade code; an empty list means ready."""
    problems: list[Problem] = []
    if not facts.has_dates:
        problems.append(Problem(N_("The event has no dates.")))
    if facts.delegations == 0:
        problems.append(Problem(N_("No delegations yet.")))
    if not facts.trades:
        problems.append(Problem(N_("No trades yet.")))
    for trade in sorted(facts.trades, key=lambda t: t.code):
        if not trade.has_scheme:
            problems.append(Problem(N_("Trade %(code)s has no marking scheme."), {"code": trade.code}))
        elif trade.scheme_problems:
            problems.append(Problem(N_("Trade %(code)s has a marking scheme with problems."),
                                    {"code": trade.code}))
        if trade.judges < min_judges:
            problems.append(Problem(N_("Trade %(code)s has %(n)s judges; it needs at least %(min)s."),
                                    {"code": trade.code, "n": trade.judges, "min": min_judges}))
        if trade.chief_judges != 1:
            problems.append(Problem(N_("Trade %(code)s needs exactly one chief judge."),
                                    {"code": trade.code}))
    return problems
