"""The panel as the rulebook states it: recusal, who scores, what each judge is expected to
enter, the thin-panel minimum and who may write which mark."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from competition.domain.aggregation import AspectKind
from competition.domain.entrants import EntrantStatus
from competition.domain.panel import (
    CHIEF_RESOLVES,
    CONFIRMED,
    DECLARED_CONFLICT,
    JUDGE_NOT_ON_PANEL,
    MEASURED,
    MIN_PANEL,
    NOT_COMPETING,
    NOT_IN_SCHEME,
    NOT_IN_TRADE,
    NOT_ON_PANEL,
    NOT_RESOLVER,
    OWN_DELEGATION,
    PANEL_RESOLVES,
    RECUSED_DEPUTY_RESOLVES,
    RECUSED_ORGANIZER_RESOLVES,
    CellKey,
    Panel,
    PanelEntrant,
    Position,
    Resolution,
    Scorer,
    cell_problem,
    measurement_problem,
    resolve_problem,
)
from competition.domain.roles import Role
from competition.domain.trade_state import LOCKED, NOT_OPEN, TradeStatus

M, J, P = AspectKind.MEASUREMENT, AspectKind.JUDGEMENT, AspectKind.PANEL_MARK
JUDGE, CHIEF_, DEPUTY = Position.JUDGE, Position.CHIEF, Position.DEPUTY

# Judges 1 (delegation 10), 2 (delegation 20), 3 (no delegation), 9 the chief (delegation 30).
# Entrants 101 (delegation 10), 102 (delegation 20), 103 (delegation 30), 104 (delegation 40,
# withdrawn). Judge 3 declared a conflict with entrant 102.
PANEL = Panel(judges={1: JUDGE, 2: JUDGE, 3: JUDGE, 9: CHIEF_},
              delegation_of_judge={1: 10, 2: 20, 3: None, 9: 30},
              entrants={101: PanelEntrant(10), 102: PanelEntrant(20), 103: PanelEntrant(30),
                        104: PanelEntrant(40, EntrantStatus.WITHDRAWN)},
              declared={(3, 102)})


@pytest.mark.parametrize("judge, entrant, message", [
    (1, 101, OWN_DELEGATION),     # own delegation
    (1, 102, None),
    (2, 102, OWN_DELEGATION),
    (3, 102, DECLARED_CONFLICT),  # declared conflict, no delegation of their own
    (3, 101, None),
    (9, 103, OWN_DELEGATION),     # the chief judge is recused like anyone
    (9, 101, None),
    (1, 999, None),               # not an entrant of the trade: no recusal to speak of
], ids=["own", "other", "own-2", "declared", "free", "chief-own", "chief-free", "unknown"])
def test_recusal(judge, entrant, message):
    problem = PANEL.recusal(judge, entrant)
    assert (problem.message if problem else None) == message


def test_the_chief_judge_does_not_score_unless_alone():
    assert PANEL.scorers == [1, 2, 3]
    assert PANEL.chiefs == [9]
    alone = Panel(judges={9: CHIEF_}, delegation_of_judge={9: None},
                  entrants={101: PanelEntrant(10)})
    assert alone.scorers == [9]


@pytest.mark.parametrize("entrant, eligible", [
    (101, [2, 3]), (102, [1]), (103, [1, 2, 3]),
], ids=["one-recused", "two-recused", "none-recused"])
def test_eligible_scorers(entrant, eligible):
    assert PANEL.eligible(entrant) == eligible


@pytest.mark.parametrize("entrant, kind, needed", [
    (101, M, 1),   # a measurement is entered once
    (101, J, 2),   # judges 2 and 3
    (102, P, 1),   # only judge 1 is left
    (103, J, 3),
], ids=["measurement-once", "judgement-eligible", "panel-one-left", "all-three"])
def test_marks_needed(entrant, kind, needed):
    assert PANEL.needed(entrant, kind) == needed


def test_marks_needed_is_at_least_one_when_everyone_is_recused():
    everyone = Panel(judges={1: JUDGE}, delegation_of_judge={1: 10},
                     entrants={101: PanelEntrant(10)})
    assert everyone.needed(101, J) == 1


KINDS = {1: M, 2: J, 3: P}
CONFIRMING = replace(PANEL, confirm_measurements=True)


@pytest.mark.parametrize("judge, expected", [
    # competing entrants 101, 102, 103 (104 withdrawn); aspects M, J, P, no marks yet: the
    # measurement is in the share of every judge who may enter it
    (1, 6),   # 102 and 103, three each
    (2, 6),   # 101 and 103
    (3, 6),   # 101 and 103 (declared conflict with 102)
    (9, 0),   # the chief judge is not an expected marker
    (77, 0),  # not on the panel
], ids=["judge-1", "judge-2", "judge-3", "chief", "stranger"])
def test_each_judges_own_share(judge, expected):
    assert PANEL.expected_of(judge, KINDS) == expected
    assert PANEL.entered_of(judge, KINDS, {}) == 0


@pytest.mark.parametrize("panel, holders, judge, expected, entered", [
    # judge 1 entered 103's measurement: it stays theirs and leaves the others' shares
    (PANEL, {(103, 1): {1}}, 1, 6, 1),
    (PANEL, {(103, 1): {1}}, 2, 5, 0),      # 101: 3; 103: J and P
    (PANEL, {(103, 1): {1}}, 3, 5, 0),
    # judge 1 is recused from 101: judge 2's entry there takes it from judge 3 only
    (PANEL, {(101, 1): {2}}, 1, 6, 0),
    (PANEL, {(101, 1): {2}}, 3, 5, 0),      # 101: J and P; 103: 3
    (PANEL, {(101, 1): {2}, (101, 2): {2, 3}}, 2, 6, 2),
    # confirmation: 103 needs a second judge, so 2 and 3 keep it until one of them confirms
    (CONFIRMING, {(103, 1): {1}}, 2, 6, 0),
    (CONFIRMING, {(103, 1): {1}}, 3, 6, 0),
    (CONFIRMING, {(103, 1): {1, 2}}, 2, 6, 1),
    (CONFIRMING, {(103, 1): {1, 2}}, 3, 5, 0),
    # 102 has judge 1 only: nobody can confirm, one mark is all it needs
    (CONFIRMING, {(102, 1): {1}}, 1, 6, 1),
    (CONFIRMING, {}, 9, 0, 0),
], ids=["enterer", "other-2", "other-3", "recused-not-affected", "recused-other",
        "own-marks", "confirm-2", "confirm-3", "confirmer", "confirmed-3", "cannot-confirm",
        "chief"])
def test_a_measurement_entered_leaves_the_other_judges_shares(panel, holders, judge, expected,
                                                              entered):
    assert panel.expected_of(judge, KINDS, holders) == expected
    assert panel.entered_of(judge, KINDS, holders) == entered


def test_the_trade_expects_what_each_competing_entrant_needs():
    # 101: 1 measurement + 2 + 2; 102: 1 + 1 + 1; 103: 1 + 3 + 3 (104 withdrawn)
    assert PANEL.expected([M, J, P]) == 15
    # with confirmation 101 (judges 2, 3) and 103 need two measurement marks, 102 (judge 1
    # alone) one
    assert CONFIRMING.expected([M, J, P]) == 17
    assert [CONFIRMING.needed(e, M) for e in (101, 102, 103)] == [2, 1, 2]


@pytest.mark.parametrize("panel, entrant, kind, given, agreed, counted", [
    (PANEL, 101, M, 3, True, 1),   # a measurement typed three times counts once
    (PANEL, 101, J, 1, True, 1),
    (PANEL, 101, J, 5, True, 2),   # never more than the entrant needs
    (PANEL, 103, P, 0, True, 0),
    (CONFIRMING, 101, M, 2, True, 2),    # entered and confirmed
    (CONFIRMING, 101, M, 2, False, 1),   # the confirmation differs: not confirmed
    (CONFIRMING, 101, M, 1, True, 1),
    (CONFIRMING, 102, M, 2, True, 1),    # one judge may mark 102: one mark is all it needs
], ids=["measurement-once", "one-of-two", "capped", "none", "confirmed", "disagree",
        "waiting", "nobody-to-confirm"])
def test_marks_that_count_towards_what_is_expected(panel, entrant, kind, given, agreed, counted):
    assert panel.counted(entrant, kind, given, agreed) == counted


@pytest.mark.parametrize("panel, judge, entrant, holders, message", [
    (PANEL, 2, 103, [], None),              # nobody entered it: anyone may
    (PANEL, 2, 103, [1], MEASURED),         # judge 1 did: read-only for judge 2
    (PANEL, 1, 103, [1], None),             # their own entry, to change
    (PANEL, 2, 103, [1, 3], MEASURED),
    (CONFIRMING, 2, 103, [1], None),        # the confirmation
    (CONFIRMING, 1, 103, [1], None),        # changing one's own entry (not a confirmation)
    (CONFIRMING, 3, 103, [1, 2], CONFIRMED),
    (CONFIRMING, 3, 101, [2], None),
    (CONFIRMING, 1, 102, [9], CONFIRMED),   # 102 needs one mark (only judge 1 may mark it)
], ids=["empty", "entered", "own", "two-in", "confirm", "own-entry", "confirmed",
        "confirm-other", "one-needed"])
def test_who_may_enter_a_measurement(panel, judge, entrant, holders, message):
    problem = measurement_problem(panel, CellKey(judge, entrant, 1), holders)
    assert (problem.message if problem else None) == message


@given(st.dictionaries(st.integers(1, 8), st.one_of(st.none(), st.integers(1, 3)),
                       min_size=1, max_size=6),
       st.dictionaries(st.integers(100, 110), st.integers(1, 3), min_size=1, max_size=6),
       st.lists(st.sampled_from([M, J, P]), min_size=1, max_size=4), st.booleans(),
       st.randoms(use_true_random=False))
def test_judges_who_fill_their_shares_complete_the_trade(judges, entrants, kinds, confirm, rng):
    """Judges, one after the other in any order, fill every cell of their current share: then
    every judge has entered all the panel expects of them, and the trade all it expects."""
    panel = Panel(judges=dict.fromkeys(judges, JUDGE), delegation_of_judge=judges,
                  entrants={e: PanelEntrant(d) for e, d in entrants.items()},
                  confirm_measurements=confirm)
    aspects = dict(enumerate(kinds))
    holders: dict[tuple[int, int], set[int]] = {}
    order = list(panel.scorers)
    rng.shuffle(order)
    for judge in order:
        for e in panel.competing:
            for a, kind in aspects.items():
                held = holders.setdefault((e, a), set())
                if panel.shares(judge, e, kind, held):
                    held.add(judge)
    for judge in panel.scorers:
        assert panel.entered_of(judge, aspects, holders) == panel.expected_of(judge, aspects, holders)
    expected = panel.expected(aspects.values())
    covered = sum(panel.counted(e, kind, len(holders[(e, a)])) for e in panel.competing
                  for a, kind in aspects.items() if panel.eligible(e))
    assert covered == expected - sum(len(aspects) * panel.needed(e, M) for e in panel.competing
                                     if not panel.eligible(e))


def test_competing_entrants_leave_out_the_withdrawn():
    assert PANEL.competing == [101, 102, 103]


def test_thin_panel_lists_entrants_left_with_fewer_than_the_minimum():
    assert MIN_PANEL == 3
    assert PANEL.thin() == {101: 2, 102: 1}
    small = Panel(judges={1: JUDGE, 2: JUDGE}, delegation_of_judge={1: 10, 2: None},
                  entrants={101: PanelEntrant(10)})
    assert small.thin() == {}  # a panel smaller than the minimum is not "thin" per entrant


JUDGE_1 = Scorer(1, Role.JUDGE)
CHIEF = Scorer(9, Role.CHIEF_JUDGE)
ASPECTS = {500, 501}


@pytest.mark.parametrize("scorer, key, status, message", [
    (JUDGE_1, CellKey(1, 102, 500), TradeStatus.OPEN, None),
    (JUDGE_1, CellKey(1, 102, 999), TradeStatus.OPEN, NOT_IN_SCHEME),
    (JUDGE_1, CellKey(1, 999, 500), TradeStatus.OPEN, NOT_IN_TRADE),
    (Scorer(1, Role.SUPERVISOR), CellKey(1, 102, 500), TradeStatus.OPEN, NOT_ON_PANEL),
    (Scorer(55, Role.JUDGE), CellKey(55, 102, 500), TradeStatus.OPEN, NOT_ON_PANEL),
    (JUDGE_1, CellKey(1, 102, 500), TradeStatus.SETUP, NOT_OPEN),
    (JUDGE_1, CellKey(1, 102, 500), TradeStatus.SIGNED_OFF, LOCKED),
    (JUDGE_1, CellKey(2, 101, 500), TradeStatus.OPEN, NOT_RESOLVER),
    (CHIEF, CellKey(2, 101, 500), TradeStatus.OPEN, None),
    (CHIEF, CellKey(55, 101, 500), TradeStatus.OPEN, JUDGE_NOT_ON_PANEL),
    (JUDGE_1, CellKey(1, 104, 500), TradeStatus.OPEN, NOT_COMPETING),
    (JUDGE_1, CellKey(1, 101, 500), TradeStatus.OPEN, OWN_DELEGATION),
    (CHIEF, CellKey(1, 101, 500), TradeStatus.OPEN, OWN_DELEGATION),   # the judge's recusal
    # the chief's own delegation, no deputy: the organizer resolves
    (CHIEF, CellKey(2, 103, 500), TradeStatus.OPEN, RECUSED_ORGANIZER_RESOLVES),
    (Scorer(70, Role.ORGANIZER), CellKey(2, 103, 500), TradeStatus.OPEN, None),
    (Scorer(70, Role.ORGANIZER), CellKey(2, 102, 500), TradeStatus.OPEN, PANEL_RESOLVES),
    (Scorer(70, Role.ORGANIZER), CellKey(70, 103, 500), TradeStatus.OPEN, NOT_ON_PANEL),
    (Scorer(70, Role.ORGANIZER), CellKey(2, 103, 500), TradeStatus.SIGNED_OFF, LOCKED),
], ids=["own-mark", "foreign-aspect", "foreign-entrant", "not-a-scoring-role", "not-on-panel",
        "not-open", "locked", "other-judges-mark", "chief-resolves", "judge-not-on-panel",
        "withdrawn", "recused", "chief-writes-recused-judge", "chief-recused",
        "organizer-resolves", "organizer-not-needed", "organizer-own-mark", "organizer-locked"])
def test_who_may_write_a_mark(scorer, key, status, message):
    problem = cell_problem(PANEL, scorer, key, ASPECTS, status)
    assert (problem.message if problem else None) == message


@given(st.dictionaries(st.integers(1, 30), st.one_of(st.none(), st.integers(1, 5)),
                       min_size=1, max_size=12),
       st.dictionaries(st.integers(100, 140), st.integers(1, 5), min_size=1, max_size=12))
def test_nobody_is_ever_eligible_for_an_entrant_of_their_own_delegation(judges, entrants):
    panel = Panel(judges=dict.fromkeys(judges, JUDGE), delegation_of_judge=judges,
                  entrants={e: PanelEntrant(d) for e, d in entrants.items()})
    for entrant, delegation in entrants.items():
        eligible = panel.eligible(entrant)
        assert all(judges[j] != delegation for j in eligible)
        assert sorted(eligible) == sorted(j for j, d in judges.items() if d != delegation)
        assert panel.needed(entrant, J) == max(len(eligible), 1)


# Who resolves. Judges 1 (delegation 10), 2 (20), 3 (none); 9 the chief (30); deputies 7 (30)
# and 8 (40). Entrants 101 (10), 103 (30), 104 (40), 105 (30, with a conflict declared by 8).
LED = Panel(judges={1: JUDGE, 2: JUDGE, 3: JUDGE, 9: CHIEF_, 7: DEPUTY, 8: DEPUTY},
            delegation_of_judge={1: 10, 2: 20, 3: None, 9: 30, 7: 30, 8: 40},
            entrants={101: PanelEntrant(10), 103: PanelEntrant(30), 104: PanelEntrant(40),
                      105: PanelEntrant(30)},
            declared={(8, 105)})


@pytest.mark.parametrize("entrant, resolution", [
    (101, Resolution(CHIEF_, (9,))),     # the chief is free
    (104, Resolution(CHIEF_, (9,))),     # deputy 8 recused, but the chief is free
    (103, Resolution(DEPUTY, (8,))),     # the chief and deputy 7 recused (delegation 30)
    (105, Resolution(None, ())),         # deputy 8 too (declared): the organizer
], ids=["chief", "chief-deputy-recused", "deputy", "organizer"])
def test_who_resolves_an_entrant(entrant, resolution):
    assert LED.resolution(entrant) == resolution


@pytest.mark.parametrize("scorer, entrant, message", [
    (Scorer(9, Role.CHIEF_JUDGE), 101, None),
    (Scorer(9, Role.CHIEF_JUDGE), 103, RECUSED_DEPUTY_RESOLVES),
    (Scorer(9, Role.CHIEF_JUDGE), 105, RECUSED_ORGANIZER_RESOLVES),
    (Scorer(8, Role.CHIEF_JUDGE), 101, CHIEF_RESOLVES),
    (Scorer(8, Role.CHIEF_JUDGE), 104, CHIEF_RESOLVES),      # recused, and the chief is free
    (Scorer(8, Role.CHIEF_JUDGE), 103, None),
    (Scorer(7, Role.CHIEF_JUDGE), 103, RECUSED_DEPUTY_RESOLVES),  # deputy 8 does
    (Scorer(8, Role.CHIEF_JUDGE), 105, RECUSED_ORGANIZER_RESOLVES),
    (Scorer(1, Role.JUDGE), 103, NOT_RESOLVER),
    (Scorer(3, Role.JUDGE), 105, NOT_RESOLVER),
    (Scorer(55, Role.CHIEF_JUDGE), 103, NOT_RESOLVER),        # not on the panel
    (Scorer(8, Role.SUPERVISOR), 103, NOT_RESOLVER),          # not a scoring role
    (Scorer(70, Role.ORGANIZER), 105, None),
    (Scorer(70, Role.ORGANIZER), 103, PANEL_RESOLVES),
    (Scorer(70, Role.SUPERVISOR), 105, NOT_RESOLVER),
], ids=["chief", "chief-recused-deputy", "chief-recused-organizer", "deputy-chief-free",
        "deputy-recused-chief-free", "deputy", "deputy-recused-other-deputy",
        "deputy-recused-organizer", "judge", "judge-organizer-case", "not-on-panel",
        "supervisor-role", "organizer", "organizer-not-needed", "supervisor"])
def test_who_may_resolve(scorer, entrant, message):
    problem = resolve_problem(LED, scorer, entrant)
    assert (problem.message if problem else None) == message


def test_chiefs_and_deputies_do_not_score_unless_alone():
    assert LED.scorers == [1, 2, 3]
    assert LED.needed(101, J) == 2                      # judges 2 and 3 (1 is recused)
    assert LED.expected_of(8, {1: J, 2: P}) == 0 and LED.expected_of(9, {1: J}) == 0
    assert LED.expected([J]) == 2 + 3 + 3 + 3            # 101, 103, 104, 105
    leads = Panel(judges={9: CHIEF_, 8: DEPUTY}, delegation_of_judge={9: 30, 8: 40},
                  entrants={101: PanelEntrant(10)})
    assert leads.scorers == [8, 9]
