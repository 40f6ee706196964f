"""The judging service: who may score what, values, atomic sheets, conflicts, sign-off, totals.

The aggregation rules themselves are proved in tests/domain/test_aggregation.py and against the
real ISU judges' marks in tests/domain/test_isu_data.py.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
import sqlalchemy as sa

from competition.domain import panel as panel_rules
from competition.domain import trade_state
from competition.extensions import db
from competition.models import (
    AuditAction,
    AuditEntry,
    Conflict,
    Entrant,
    EntrantStatus,
    Role,
    Score,
    TradeStatus,
)
from competition.services import demo, judging
from competition.services.errors import Invalid, NotAllowed
from tests.app.support import audit_count, cell, count, fill, may_score, stored


def test_an_assigned_judge_saves_a_sheet_and_every_mark_is_logged(scene):
    judge, entrant = scene.judges[2], scene.entrants[0]
    result = judging.save_sheet(judge, scene.trade, [cell(entrant, scene.measurement, "7.5"),
                                                     cell(entrant, scene.judgement, "2")])
    assert result.ok and result.saved == 2
    score = stored(judge, entrant, scene.measurement)
    assert score.value == Decimal("7.5") and score.version == 1
    entries = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.old_value, e.new_value, e.user_id, e.judge_id) for e in entries] == [
        (AuditAction.INSERT, None, Decimal("7.5"), judge.id, judge.id),
        (AuditAction.INSERT, None, Decimal("2"), judge.id, judge.id)]


def test_change_and_delete_bump_the_version_and_are_logged(scene):
    judge, entrant = scene.judges[2], scene.entrants[0]
    judging.save_sheet(judge, scene.trade, [cell(entrant, scene.measurement, "7")])
    assert judging.save_sheet(judge, scene.trade,
                              [cell(entrant, scene.measurement, "8", version=1)]).saved == 1
    assert stored(judge, entrant, scene.measurement).version == 2
    assert judging.save_sheet(judge, scene.trade,
                              [cell(entrant, scene.measurement, "", version=2)]).saved == 1
    assert stored(judge, entrant, scene.measurement) is None
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == [AuditAction.INSERT, AuditAction.UPDATE, AuditAction.DELETE]


def test_an_unassigned_judge_is_refused(scene, make_user, make_trade):
    other_trade = make_trade(scene.event, status=TradeStatus.OPEN)
    outsider = make_user(Role.JUDGE, scene.event, trades=(other_trade,))
    with pytest.raises(NotAllowed):
        judging.save_sheet(outsider, scene.trade, [cell(scene.entrants[0], scene.measurement, "5")])
    assert count(Score) == 0


@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.SUPERVISOR])
def test_other_roles_never_enter_marks(scene, role):
    user = scene.organizer if role == Role.ORGANIZER else scene.supervisor
    with pytest.raises(NotAllowed):
        judging.save_sheet(user, scene.trade, [cell(scene.entrants[0], scene.measurement, "5")])
    assert count(Score) == 0


def test_a_judge_never_marks_their_own_delegation(scene):
    judge = scene.judges[0]  # delegation 0, like entrant 0
    result = judging.save_sheet(judge, scene.trade, [cell(scene.entrants[1], scene.measurement, "5"),
                                                     cell(scene.entrants[0], scene.measurement, "5")])
    assert not result.ok and result.saved == 0
    problem = result.problems_by_cell[judging.CellKey(judge.id, scene.entrants[0].id,
                                                      scene.measurement.id)]
    assert problem.message == panel_rules.OWN_DELEGATION
    assert count(Score) == 0
    assert may_score(judge, scene.entrants[0], scene.measurement).message == \
        panel_rules.OWN_DELEGATION
    assert may_score(judge, scene.entrants[1], scene.measurement) is None


def test_a_declared_conflict_with_a_contestant_recuses_the_judge(scene):
    judge, entrant = scene.judges[2], scene.entrants[1]
    db.session.add(Conflict(user_id=judge.id, contestant_id=entrant.members[0].id))
    db.session.commit()
    result = judging.save_sheet(judge, scene.trade, [cell(entrant, scene.panel, "12")])
    assert [p.message for p in result.problems_by_cell.values()] == [panel_rules.DECLARED_CONFLICT]
    assert count(Score) == 0


def test_a_declared_conflict_with_a_delegation_recuses_the_judge(scene):
    judge, entrant = scene.judges[2], scene.entrants[2]
    db.session.add(Conflict(user_id=judge.id, delegation_id=entrant.delegation_id))
    db.session.commit()
    assert may_score(judge, entrant, scene.panel).message == panel_rules.DECLARED_CONFLICT
    assert may_score(judge, scene.entrants[0], scene.panel) is None


def test_declaring_a_conflict_deletes_the_judges_marks_with_a_log(scene):
    judge, entrant = scene.judges[2], scene.entrants[1]
    judging.save_sheet(judge, scene.trade, [cell(entrant, scene.panel, "12"),
                                            cell(scene.entrants[0], scene.panel, "11")])
    judging.declare_conflict(scene.event, scene.organizer, judge,
                             contestant=entrant.members[0], reason="former coach")
    assert stored(judge, entrant, scene.panel) is None
    assert stored(judge, scene.entrants[0], scene.panel) is not None
    last = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.action, last.old_value, last.user_id) == (AuditAction.DELETE, Decimal(12),
                                                           scene.organizer.id)
    assert "former coach" in last.reason
    with pytest.raises(Invalid):
        judging.declare_conflict(scene.event, scene.organizer, judge, contestant=entrant.members[0])


@pytest.mark.parametrize("status, message", [(TradeStatus.SETUP, trade_state.NOT_OPEN),
                                             (TradeStatus.SIGNED_OFF, trade_state.LOCKED)])
def test_nobody_scores_a_trade_that_is_not_open(scene, status, message):
    scene.trade.status = status
    db.session.commit()
    with pytest.raises(NotAllowed) as refusal:
        judging.save_sheet(scene.judges[2], scene.trade,
                           [cell(scene.entrants[0], scene.measurement, "5")])
    assert refusal.value.problem.message == message
    assert may_score(scene.judges[2], scene.entrants[0], scene.measurement).message == message
    assert count(Score) == 0


def test_a_withdrawn_entrant_gets_no_new_marks(scene):
    scene.entrants[0].status = EntrantStatus.WITHDRAWN
    db.session.commit()
    result = judging.save_sheet(scene.judges[2], scene.trade,
                                [cell(scene.entrants[0], scene.measurement, "5")])
    assert not result.ok and count(Score) == 0


@pytest.mark.parametrize("aspect, value, ok", [
    ("judgement", "0", True), ("judgement", "3", True), ("judgement", "4", False),
    ("judgement", "2.5", False), ("judgement", "-1", False),
    ("measurement", "10", True), ("measurement", "10.01", False), ("measurement", "7.25", True),
    ("measurement", "7.255", False), ("measurement", "7,5", True), ("measurement", "７.５", True),
    ("measurement", "abc", False), ("measurement", "1e1", False), ("measurement", "NaN", False),
    ("panel", "20", True), ("panel", "20.5", False), ("panel", "0", True),
])
def test_values_are_checked_against_the_aspect(scene, aspect, value, ok):
    result = judging.save_sheet(scene.judges[2], scene.trade,
                                [cell(scene.entrants[0], getattr(scene, aspect), value)])
    assert result.ok is ok
    assert count(Score) == (1 if ok else 0)


def test_one_bad_cell_saves_nothing_of_the_sheet(scene):
    marks = [cell(e, scene.measurement, "5") for e in scene.entrants]
    marks.append(cell(scene.entrants[1], scene.judgement, "7"))
    result = judging.save_sheet(scene.judges[2], scene.trade, marks)
    assert result.saved == 0 and len(result.problems_by_cell) == 1
    assert count(Score) == 0 and audit_count() == 0


def test_a_cell_changed_since_loading_is_a_conflict_and_nothing_is_saved(scene):
    judge, entrant = scene.judges[2], scene.entrants[0]
    judging.save_sheet(judge, scene.trade, [cell(entrant, scene.measurement, "5")])
    # another device of the same judge changes it: version 2
    judging.save_sheet(judge, scene.trade, [cell(entrant, scene.measurement, "6", version=1)])
    result = judging.save_sheet(judge, scene.trade, [
        cell(entrant, scene.measurement, "7", version=1),
        cell(entrant, scene.panel, "10")])
    assert result.saved == 0
    [conflict] = result.stale
    assert (conflict.current, conflict.current_version, conflict.attempted) == (Decimal(6), 2, "7")
    assert stored(judge, entrant, scene.panel) is None
    assert stored(judge, entrant, scene.measurement).value == Decimal(6)
    # a new cell somebody else filled meanwhile is a conflict too
    judging.save_sheet(judge, scene.trade, [cell(entrant, scene.panel, "10")])
    assert judging.save_sheet(judge, scene.trade,
                              [cell(entrant, scene.panel, "11", version=None)]).stale


def test_saving_the_same_value_again_is_not_a_conflict(scene):
    judge, entrant = scene.judges[2], scene.entrants[0]
    judging.save_sheet(judge, scene.trade, [cell(entrant, scene.measurement, "5")])
    result = judging.save_sheet(judge, scene.trade, [cell(entrant, scene.measurement, "5")])
    assert result.ok and result.saved == 0 and audit_count() == 1


def test_the_chief_judge_resolves_another_judges_mark_with_a_reason(scene):
    judge, entrant = scene.judges[2], scene.entrants[0]
    judging.save_sheet(judge, scene.trade, [cell(entrant, scene.judgement, "0")])
    change = [cell(entrant, scene.judgement, "2", version=1, judge=judge)]
    without = judging.save_sheet(scene.chief, scene.trade, change)
    assert [p.message for p in without.problems] == [judging.REASON_REQUIRED]
    result = judging.save_sheet(scene.chief, scene.trade, change, reason="misread the scale")
    assert result.ok and stored(judge, entrant, scene.judgement).value == 2
    last = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.user_id, last.judge_id, last.reason) == (scene.chief.id, judge.id,
                                                          "misread the scale")


def test_only_the_chief_judge_changes_another_judges_mark(scene):
    judge, entrant = scene.judges[2], scene.entrants[0]
    judging.save_sheet(judge, scene.trade, [cell(entrant, scene.judgement, "0")])
    result = judging.save_sheet(scene.judges[1], scene.trade,
                                [cell(entrant, scene.judgement, "3", version=1, judge=judge)],
                                reason="because")
    assert [p.message for p in result.problems_by_cell.values()] == [panel_rules.NOT_RESOLVER]
    assert stored(judge, entrant, scene.judgement).value == 0


def test_totals_progress_and_discrepancies(scene):
    fill(scene, value="2")
    totals = judging.trade_totals(scene.trade)
    assert set(totals) == {e.id for e in scene.entrants}
    # measurement 2, judgement 6 × 2/3 = 4, panel mean 2
    assert {t.total for t in totals.values()} == {Decimal(8)}
    assert all(t.complete for t in totals.values())
    [criterion] = scene.trade.criteria
    assert judging.criterion_marks(scene.trade)[scene.entrants[0].id] == {criterion.id: Decimal(8)}
    assert judging.discrepancies(scene.trade) == []
    found = judging.progress(scene.trade)
    assert (found.entrants, found.complete, found.missing) == (3, 3, {})
    # judge 2 rates entrant 0 a 0 in judgement: 2 apart from 2, a discrepancy
    judging.save_sheet(scene.judges[2], scene.trade,
                       [cell(scene.entrants[0], scene.judgement, "0", version=1)])
    [dispute] = judging.discrepancies(scene.trade)
    assert (dispute.entrant_id, dispute.aspect_id, dispute.spread) == (
        scene.entrants[0].id, scene.judgement.id, Decimal(2))
    severity = {judge.id: deviation for judge, deviation, _n in judging.severity(scene.trade)}
    assert severity[scene.judges[2].id] < 0 < severity[scene.judges[1].id]


def test_missing_marks_make_an_entrant_incomplete(scene):
    fill(scene, entrants=scene.entrants[:2])
    totals = judging.trade_totals(scene.trade)
    assert not totals[scene.entrants[2].id].complete
    assert totals[scene.entrants[2].id].total == 0
    assert judging.progress(scene.trade).missing == {scene.entrants[2].id: 3}


def test_sign_off_needs_the_chief_and_a_note_while_problems_remain(scene):
    fill(scene, entrants=scene.entrants[:2])
    with pytest.raises(NotAllowed):
        judging.sign_off(scene.trade, scene.judges[0])
    with pytest.raises(Invalid):
        judging.sign_off(scene.trade, scene.chief)
    assert scene.trade.status == TradeStatus.OPEN
    judging.sign_off(scene.trade, scene.chief, note="entrant 3 fell ill, marks on paper")
    assert scene.trade.status == TradeStatus.SIGNED_OFF
    with pytest.raises(NotAllowed):
        judging.sign_off(scene.trade, scene.chief, note="again")


def test_locked_marks_cannot_change_until_an_organizer_unlocks_with_a_reason(scene):
    fill(scene)
    judging.sign_off(scene.trade, scene.chief)
    judge, entrant = scene.judges[2], scene.entrants[0]
    with pytest.raises(NotAllowed):
        judging.save_sheet(scene.chief, scene.trade,
                           [cell(entrant, scene.panel, "3", version=1, judge=judge)], reason="x")
    with pytest.raises(NotAllowed):
        judging.unlock(scene.trade, scene.chief, "please")
    with pytest.raises(NotAllowed):
        judging.unlock(scene.trade, scene.supervisor, "please")
    with pytest.raises(Invalid):
        judging.unlock(scene.trade, scene.organizer, "  ")
    judging.unlock(scene.trade, scene.organizer, "appeal by delegation 1")
    assert scene.trade.status == TradeStatus.OPEN
    # after a sign-off every change needs a reason, even a judge's own
    change = [cell(entrant, scene.panel, "3", version=1)]
    assert judging.save_sheet(judge, scene.trade, change).problems
    assert judging.save_sheet(judge, scene.trade, change, reason="appeal upheld").saved == 1
    actions = db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.entrant_id.is_(None)).order_by(AuditEntry.id)).all()
    assert actions == [AuditAction.LOCK, AuditAction.UNLOCK]


def test_opening_a_trade_needs_an_organizer_a_scheme_and_judges(scene, make_trade):
    trade = make_trade(scene.event)
    with pytest.raises(NotAllowed):
        judging.open_trade(trade, scene.chief)
    with pytest.raises(NotAllowed):  # nobody on the panel yet
        judging.open_trade(trade, scene.organizer)
    with pytest.raises(NotAllowed):  # already open
        judging.open_trade(scene.trade, scene.organizer)
    scene.trade.status = TradeStatus.SETUP
    db.session.commit()
    judging.open_trade(scene.trade, scene.organizer)
    assert scene.trade.status == TradeStatus.OPEN
    assert db.session.scalar(sa.select(AuditEntry.action)) == AuditAction.OPEN


def test_blind_judging_lines_carry_codes_only_for_judges(scene):
    scene.trade.uses_anonymous_codes = True
    db.session.commit()
    lines = judging.entrant_lines(scene.trade, scene.judges[2])
    assert [(line.label, line.name, line.delegation) for line in lines] == [
        ("X17", "", ""), ("X18", "", ""), ("X19", "", "")]
    assert all(line.name for line in judging.entrant_lines(scene.trade, scene.organizer))


def test_demo_scores_give_every_entrant_every_mark(scene, make_entrant):
    for delegation in scene.delegations:
        make_entrant(scene.trade, delegation)
    made = demo.add_scores(scene.event, random.Random(7))
    assert made == count(Score) > 0
    assert audit_count() == made
    assert all(t.complete for t in judging.trade_totals(scene.trade).values())
    assert judging.progress(scene.trade).missing == {}
    totals = [t.total for t in judging.trade_totals(scene.trade).values()]
    assert len(set(totals)) > 1 and all(0 < t <= 36 for t in totals)
    assert db.session.scalar(sa.select(sa.func.count(Entrant.id))) == 6


def test_progress_per_judge_counts_each_judges_own_share(scene):
    """A judge's share is the judgement and panel aspects of every entrant they may mark and
    the measurements they entered or nobody has; the chief judge of a full panel has no share."""
    fill(scene, judges=[scene.judges[2]])
    found = judging.progress(scene.trade)
    by_judge = {p.judge.id: (p.entered, p.expected) for p in found.judges}
    assert by_judge[scene.judges[2].id] == (9, 9)   # 3 entrants × 3 aspects, all given
    assert by_judge[scene.judges[0].id] == (0, 4)   # recused from the entrant of delegation 0;
    #                                                 the other two's measurements entered
    assert by_judge[scene.chief.id] == (0, 0)       # not a scorer while three judges mark
    measurement = next(a for a in found.aspects if a.aspect.id == scene.measurement.id)
    assert measurement.complete == 3                # one mark per entrant is enough
