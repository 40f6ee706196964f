"""services.results: provisional results from marks, award rules end to end, the medal table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from competition.domain.awards import Tier
from competition.extensions import db
from competition.models import Aspect, AwardRule, Criterion, EntryType, Role
from competition.services import publishing, results
from tests.app.support import add_marks, event_rule, set_marks

D = Decimal


def outcome(trade) -> list[tuple]:
    """(place, tier, excellence, titles) per entrant, in draw order."""
    by_entrant = {line.entrant_id: line for line in results.compute(trade).lines}
    return [(line.place, line.tier, line.excellence, tuple(t.zh for t in line.titles))
            for line in sorted(by_entrant.values(), key=lambda entry: entry.entrant_id)]


def test_places_rule_gold_silver_bronze_with_excellence_and_titles(scored_trade, make_event):
    """The seed competition's rule: places 1/2/3 medals, excellence for the top half, the title
    技术能手 to places 1–5."""
    event = make_event()
    event_rule(event, method="places", labels="medals", excellence="top_half",
               titles=[{"name_zh": "技术能手", "name_en": "Technical Expert", "up_to_place": 5}])
    s = scored_trade([95, 90, 85, 80, 75, 70, 65, 60], event=event)
    title = ("技术能手",)
    assert outcome(s.trade) == [
        (1, 1, False, title), (2, 2, False, title), (3, 3, False, title), (4, None, True, title),
        (5, None, False, title), (6, None, False, ()), (7, None, False, ()), (8, None, False, ())]
    english = results.compute(s.trade).lines[0].titles[0]
    assert english.name("en") == "Technical Expert"


def test_quotas_rule_one_two_three_prizes(scored_trade, make_event):
    """The small competition's rule: 1 first prize, 2 second, 3 third."""
    event = make_event()
    event_rule(event, method="quotas", labels="prizes", quota_first=1, quota_second=2,
               quota_third=3)
    s = scored_trade([99, 90, 80, 70, 60, 50, 40, 30], event=event)
    assert [tier for _, tier, _, _ in outcome(s.trade)] == [1, 2, 2, 3, 3, 3, None, None]
    assert results.compute(s.trade).labels == "prizes"


@pytest.mark.parametrize(
    "totals, tiers",
    [
        ([90, 90, 80, 70], [1, 1, 3, None]),                    # shared gold, no silver
        ([90, 80, 80, 70], [1, 2, 2, None]),                    # shared silver, no bronze
        ([90, 80, 70, 70, 60], [1, 2, 3, 3, None]),             # shared bronze
    ],
    ids=["gold", "silver", "bronze"],
)
def test_ties_at_place_boundaries(scored_trade, totals, tiers):
    s = scored_trade(totals)
    assert [tier for _, tier, _, _ in outcome(s.trade)] == tiers


@pytest.mark.parametrize(
    "totals, tiers",
    [
        ([90, 90, 80, 70, 60, 50, 40], [1, 1, 2, 3, 3, 3, None]),    # 1st/2nd boundary overflows
        ([90, 80, 70, 70, 60, 50, 40], [1, 2, 2, 2, 3, 3, None]),    # 2nd quota overflows
        ([90, 80, 70, 60, 50, 50, 50], [1, 2, 2, 3, 3, 3, 3]),       # tie at the last prize
    ],
    ids=["first", "second", "third"],
)
def test_ties_at_quota_boundaries_never_split(scored_trade, make_event, totals, tiers):
    event = make_event()
    event_rule(event, method="quotas", labels="prizes", quota_first=1, quota_second=2,
               quota_third=3)
    s = scored_trade(totals, event=event)
    assert [tier for _, tier, _, _ in outcome(s.trade)] == tiers


def test_tie_break_between_two_criteria(scored_trade):
    """Equal totals: the chain's first criterion with a value decides; a key the marks do not
    hold (a completion time) breaks no tie."""
    s = scored_trade([None, None, None], aspects=())
    trade = s.trade
    for position, code in enumerate(("A", "B")):
        criterion = Criterion(code=code, name_zh=f"模块{code}", position=position)
        criterion.aspects.append(Aspect(code=f"{code}1", description_zh="要素", max_mark=D(50),
                                        kind="measurement", position=0))
        trade.criteria.append(criterion)
    db.session.commit()
    add_marks(trade, s.judge, {s.entrants[0]: (40, 30), s.entrants[1]: (30, 40),
                               s.entrants[2]: (20, 20)})
    assert [p for p, *_ in outcome(trade)] == [1, 1, 3]
    trade.tie_breaks = [{"key": "criterion:B", "higher_is_better": True}]
    db.session.commit()
    assert [p for p, *_ in outcome(trade)] == [2, 1, 3]
    trade.tie_breaks = [{"key": "time", "higher_is_better": False},
                        {"key": "criterion:A", "higher_is_better": True}]
    db.session.commit()
    assert [p for p, *_ in outcome(trade)] == [1, 2, 3]


def test_unranked_statuses_and_entrants_without_marks(scored_trade):
    s = scored_trade([90, 95, 80, None, 70], statuses={1: "withdrawn", 4: "disqualified"})
    lines = {line.entrant_id: line for line in results.compute(s.trade).lines}
    e = s.entrants
    assert (lines[e[0].id].place, lines[e[0].id].tier) == (1, Tier.FIRST)
    assert (lines[e[1].id].place, lines[e[1].id].tier, lines[e[1].id].status) == (None, None, "withdrawn")
    assert lines[e[2].id].place == 2
    assert (lines[e[3].id].place, lines[e[3].id].total) == (None, None)     # no marks
    assert (lines[e[4].id].place, lines[e[4].id].tier) == (None, None)      # disqualified
    assert [line.place for line in results.compute(s.trade).lines][-3:] == [None, None, None]


def test_worldskills_scale_ranks_scaled_scores(scored_trade, make_event):
    event = make_event(scaling="worldskills")
    event_rule(event, method="places", excellence="threshold", excellence_threshold=D(700))
    s = scored_trade([80, 75, 70, 60, 50, 45, 40], event=event)
    computed = results.compute(s.trade)
    assert computed.scaling == "worldskills"
    by_id = {line.entrant_id: line for line in computed.lines}
    middle = by_id[s.entrants[3].id]
    assert (middle.total, middle.score, middle.place, middle.excellence) == (D(60), D(700), 4, True)
    assert by_id[s.entrants[0].id].score > 700 > by_id[s.entrants[6].id].score
    assert not by_id[s.entrants[4].id].excellence


def test_team_entrant_is_one_line_with_its_members(scored_trade, make_event, make_delegation):
    event = make_event()
    s = scored_trade([90, 80], event=event, entry_type=EntryType.PAIR)
    line = results.compute(s.trade).lines[0]
    assert len(line.members) == 2 and line.name == s.entrants[0].team_name
    assert line.number.count("/") == 1


def test_medal_table_counts_latest_versions_of_competition_trades_only(
        scored_trade, make_event, make_delegation, make_user):
    """Demonstration trades and titles never count; a team counts once; an amendment replaces
    the counts of the version it corrects."""
    event = make_event()
    event_rule(event, method="places", titles=[{"name_zh": "技术能手", "up_to_place": 5}])
    a, b, c = (make_delegation(event, code=code) for code in ("A", "B", "C"))
    organizer = make_user(Role.ORGANIZER, event)
    team = scored_trade([90, 80, 70], event=event, delegations=[a, b, c],
                        entry_type=EntryType.TEAM, team_size=3)
    solo = scored_trade([90, 85, 80, 75], event=event, delegations=[b, a, a, c])
    demo = scored_trade([99, 98, 97], event=event, delegations=[c, c, c], is_demonstration=True)
    for scenario in (team, solo, demo):
        results.publish(scenario.trade, organizer)

    def counts(order="gold"):
        return {row.code: (row.rank, row.gold, row.silver, row.bronze, row.total)
                for row in results.medal_table(event, order)}

    assert counts() == {"A": (1, 1, 1, 1, 3), "B": (2, 1, 1, 0, 2), "C": (3, 0, 0, 1, 1)}
    set_marks(solo.trade, solo.entrants[3], 95)     # C's contestant corrected to first place
    publishing.amend(solo.trade, organizer, "Mark of C corrected")
    assert counts() == {"A": (1, 1, 0, 1, 2), "C": (1, 1, 0, 1, 2), "B": (3, 0, 2, 0, 2)}


def test_trade_override_rule_is_used(scored_trade, make_event):
    event = make_event()
    s = scored_trade([90, 80, 70, 60], event=event)
    db.session.add(AwardRule(event_id=event.id, trade_id=s.trade.id, method="quotas",
                             quota_first=2, quota_second=1, quota_third=0, labels="prizes"))
    db.session.commit()
    assert [tier for _, tier, _, _ in outcome(s.trade)] == [1, 1, 2, None]


def test_cache_is_dropped_when_results_change(scored_trade, make_user):
    s = scored_trade([90, 80])
    organizer = make_user(Role.ORGANIZER, s.event)
    results.publish(s.trade, organizer)
    before = s.event.results_version
    first = results.public_trade(s.event, s.trade)
    assert results.public_trade(s.event, s.trade) is first          # cached
    set_marks(s.trade, s.entrants[1], 95)
    publishing.amend(s.trade, organizer, "Corrected")
    assert s.event.results_version == before + 1
    again = results.public_trade(s.event, s.trade)
    assert again is not first and again.version == 2
