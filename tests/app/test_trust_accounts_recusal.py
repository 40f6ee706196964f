"""Recusal re-checked when a judge's delegation changes: refused while the judge has marks for
the new delegation's entrants, unless the organizer removes them in the same step with a reason,
through the one writer of marks (each deletion in the audit log). Declared conflicts do the same
and are refused in a trade that is not open."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from competition.domain.accounts import AccountEventKind
from competition.extensions import db
from competition.models import AccountEvent, AuditAction, AuditEntry, Score, TradeStatus, User
from competition.services import errors, judging
from tests.app.support import add_marks, client_for, field_error, flashes

pytestmark = pytest.mark.language("en")


def marks_of(judge: User, entrant=None) -> int:
    db.session.expire_all()
    query = sa.select(sa.func.count(Score.id)).where(Score.judge_id == judge.id)
    if entrant is not None:
        query = query.where(Score.entrant_id == entrant.id)
    return db.session.scalar(query)


def edit(client, scene, judge: User, delegation, **extra):
    return client.post(f"/manage/events/{scene.event.code}/judges/{judge.id}/edit", data={
        "name": judge.name, "username": judge.username, "role": judge.role.value,
        "delegation_id": str(delegation.id if delegation else 0),
        "trade_ids": [str(scene.trade.id)], **extra})


@pytest.fixture
def marked(scene):
    """Judge 2 (of no delegation) has marked every entrant."""
    judge = scene.judges[2]
    add_marks(scene.trade, judge, dict.fromkeys(scene.entrants, (5, 2, 10)))
    return judge


def test_moving_a_judge_into_a_delegation_they_marked_is_refused(app, scene, marked):
    organizer = client_for(app, scene.organizer)
    response = edit(organizer, scene, marked, scene.delegations[1])
    assert response.status_code == 422
    assert field_error(response, "remove_marks") == [
        "This judge has 3 marks for entrants of this delegation, whom they may not mark. "
        "To change the delegation, remove those marks: tick the box and give the reason."]
    assert 'name="removal_reason"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, marked.id).delegation_id is None
    assert marks_of(marked) == 9

    no_reason = edit(organizer, scene, marked, scene.delegations[1], remove_marks="y")
    assert no_reason.status_code == 422
    assert field_error(no_reason, "removal_reason") == ["Give the reason for removing the marks."]
    assert marks_of(marked) == 9


def test_the_move_with_its_marks_removed_is_one_audited_step(app, scene, marked):
    target = scene.entrants[1]
    totals_before = judging.trade_totals(scene.trade)[target.id].total
    response = edit(client_for(app, scene.organizer), scene, marked, scene.delegations[1],
                    remove_marks="y", removal_reason="moved to the Kaifeng team")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, marked.id).delegation_id == scene.delegations[1].id
    assert marks_of(marked, target) == 0
    assert marks_of(marked) == 6  # the other entrants keep theirs
    deleted = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.judge_id == marked.id, AuditEntry.action == AuditAction.DELETE)).all()
    assert len(deleted) == 3
    assert {e.entrant_id for e in deleted} == {target.id}
    assert {e.user_id for e in deleted} == {scene.organizer.id}
    assert all("moved to the Kaifeng team" in e.reason for e in deleted)
    assert {e.old_value for e in deleted} == {Decimal(5), Decimal(2), Decimal(10)}
    logged = db.session.scalars(sa.select(AccountEvent).where(
        AccountEvent.user_id == marked.id)).all()
    assert [(e.kind, e.actor_username) for e in logged] == \
        [(AccountEventKind.DELEGATION_CHANGED, scene.organizer.username)]
    assert scene.delegations[1].code in logged[0].detail
    assert judging.trade_totals(scene.trade)[target.id].total != totals_before


def test_a_move_that_touches_no_marks_needs_no_removal(app, scene, marked):
    judge = scene.judges[0]  # marked nobody
    response = edit(client_for(app, scene.organizer), scene, judge, scene.delegations[2])
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, judge.id).delegation_id == scene.delegations[2].id


def test_marks_in_a_trade_not_open_block_the_move(app, scene, marked):
    scene.trade.status = TradeStatus.SIGNED_OFF
    db.session.commit()
    response = edit(client_for(app, scene.organizer), scene, marked, scene.delegations[1],
                    remove_marks="y", removal_reason="moved")
    assert response.status_code == 409
    assert flashes(response)
    db.session.expire_all()
    assert db.session.get(User, marked.id).delegation_id is None
    assert marks_of(marked) == 9
    assert db.session.scalar(sa.select(sa.func.count(AccountEvent.id))) == 0


def test_a_declared_conflict_removes_the_marks_audited(scene, marked):
    target = scene.entrants[0]
    judging.declare_conflict(scene.event, scene.organizer, marked,
                             contestant=target.members[0], reason="former coach")
    assert marks_of(marked, target) == 0
    deleted = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.judge_id == marked.id, AuditEntry.action == AuditAction.DELETE)).all()
    assert len(deleted) == 3 and all("former coach" in e.reason for e in deleted)
    assert {e.user_id for e in deleted} == {scene.organizer.id}


def test_a_declared_conflict_is_refused_in_a_trade_not_open(scene, marked):
    scene.trade.status = TradeStatus.SIGNED_OFF
    db.session.commit()
    with pytest.raises(errors.NotAllowed):
        judging.declare_conflict(scene.event, scene.organizer, marked,
                                 delegation=scene.delegations[1], reason="relative")
    assert marks_of(marked) == 9
    assert judging.conflicts_of(scene.event) == []
