"""Tie-break chains as data, resolved by name through the registry."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from competition.domain.ranking import EntrantScore, TieBreak, rank
from competition.domain.tie_breaks import KINDS, Link, TieFacts, parse_chain, resolve


@pytest.mark.parametrize("stored, links", [
    ([], []),
    (None, []),
    ([{"key": "criterion:B"}], [Link("criterion", "B", True)]),
    ([{"key": "criterion:B", "higher_is_better": False}], [Link("criterion", "B", False)]),
    ([{"key": ""}, {"key": "criterion:A"}], [Link("criterion", "A", True)]),
    ([{"key": "time:"}], [Link("time", "", True)]),
], ids=["empty", "none", "criterion", "lower-wins", "blank-key-skipped", "unknown-kind"])
def test_parse_chain(stored, links):
    assert parse_chain(stored) == links


def test_the_registry_names_the_criterion_kind():
    assert set(KINDS) >= {"criterion"}
    assert "%(param)s" in KINDS["criterion"].label


def test_resolve_reads_each_entrants_value_by_link():
    chain = parse_chain([{"key": "criterion:B"}, {"key": "criterion:A"}, {"key": "mystery:x"}])
    facts = {1: TieFacts({"A": D(30), "B": D(60)}), 2: TieFacts({"A": D(35)})}
    breaks, values = resolve(chain, facts)
    assert breaks == [TieBreak("criterion:B", True), TieBreak("criterion:A", True),
                      TieBreak("mystery:x", True)]
    assert values == {1: {"criterion:B": D(60), "criterion:A": D(30), "mystery:x": None},
                      2: {"criterion:B": None, "criterion:A": D(35), "mystery:x": None}}


def test_a_chain_breaks_a_tie_in_its_order():
    """Three entrants on 90: practical (B) first, then theory (A). 1 and 2 tie on B (60) and 1
    wins on A; 3 has the lowest B. A link naming no criterion breaks nothing."""
    chain = parse_chain([{"key": "criterion:B"}, {"key": "criterion:A"}])
    facts = {1: TieFacts({"A": D(30), "B": D(60)}), 2: TieFacts({"A": D(25), "B": D(60)}),
             3: TieFacts({"A": D(40), "B": D(50)})}
    breaks, values = resolve(chain, facts)
    ranked = rank([EntrantScore(e, D(90), tie_values=values[e]) for e in facts], breaks)
    assert [(r.entrant_id, r.place, r.tied) for r in ranked] == [(1, 1, False), (2, 2, False),
                                                                (3, 3, False)]
    nothing, none_values = resolve(parse_chain([{"key": "criterion:Z"}]), facts)
    shared = rank([EntrantScore(e, D(90), tie_values=none_values[e]) for e in facts], nothing)
    assert {r.place for r in shared} == {1} and all(r.tied for r in shared)
