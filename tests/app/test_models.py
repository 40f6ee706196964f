"""The database itself refuses what the rules forbid, whatever the forms let through."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from competition.extensions import db
from competition.models import (
    Aspect,
    AwardRule,
    Criterion,
    Delegation,
    EntryType,
    Event,
    JudgeAssignment,
    Role,
    Trade,
    User,
)
from competition.services.accounts import hash_password
from tests.app.support import count


def refused(*objects) -> None:
    """Adding ``objects`` fails at commit with an IntegrityError; the session is usable after."""
    db.session.add_all(objects)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_event_code_is_unique(make_event):
    make_event("HN2026")
    refused(Event(code="HN2026", name_zh="另一个大赛"))
    assert count(Event) == 1


def test_event_dates_must_be_in_order():
    refused(Event(code="BAD", name_zh="大赛", start_date=date(2026, 5, 2), end_date=date(2026, 5, 1)))


@pytest.mark.parametrize("field, first, second", [
    ("code", dict(code="ZZ", name_zh="郑州市"), dict(code="ZZ", name_zh="开封市")),
    ("name_zh", dict(code="ZZ", name_zh="郑州市"), dict(code="KF", name_zh="郑州市")),
])
def test_delegation_code_and_name_unique_per_event(make_event, field, first, second):
    event = make_event()
    db.session.add(Delegation(event=event, **first))
    db.session.commit()
    refused(Delegation(event=event, **second))
    assert count(Delegation, event_id=event.id) == 1


def test_same_delegation_in_two_events(make_event):
    one, two = make_event(), make_event()
    db.session.add_all([Delegation(event=one, code="ZZ", name_zh="郑州市"),
                        Delegation(event=two, code="ZZ", name_zh="郑州市")])
    db.session.commit()
    assert count(Delegation) == 2


@pytest.mark.parametrize("second", [dict(code="W01", name_zh="电工"), dict(code="W02", name_zh="焊接")],
                         ids=["code", "name"])
def test_trade_code_and_name_unique_per_event(make_event, make_trade, second):
    event = make_event()
    make_trade(event, code="W01", name_zh="焊接", aspects=())
    refused(Trade(event=event, entry_type=EntryType.INDIVIDUAL, team_size=1, **second))
    other = make_event()
    make_trade(other, code="W01", name_zh="焊接", aspects=())
    assert count(Trade) == 2


@pytest.mark.parametrize("entry_type, team_size, ok", [
    (EntryType.INDIVIDUAL, 1, True), (EntryType.INDIVIDUAL, 3, False),
    (EntryType.PAIR, 2, True), (EntryType.PAIR, 3, False), (EntryType.PAIR, 1, False),
    (EntryType.TEAM, 4, True), (EntryType.TEAM, 1, False), (EntryType.TEAM, 21, False),
])
def test_team_size_matches_entry_type(make_event, entry_type, team_size, ok):
    trade = Trade(event=make_event(), code="T1", name_zh="赛项", entry_type=entry_type,
                  team_size=team_size)
    if ok:
        db.session.add(trade)
        db.session.commit()
        assert count(Trade) == 1
    else:
        refused(trade)
        assert count(Trade) == 0


def test_unknown_entry_type_refused_by_the_database(make_event):
    event = make_event()
    with pytest.raises(IntegrityError):
        db.session.execute(sa.text(
            "INSERT INTO trade (event_id, code, name_zh, name_en, category, entry_type, team_size,"
            " is_demonstration, status, uses_anonymous_codes, judgement_threshold, tie_breaks)"
            " VALUES (:event, 'X', 'x', '', '', 'quartet', 4, false, 'setup', false, 1, '[]')"),
            {"event": event.id})
    db.session.rollback()
    assert count(Trade) == 0


@pytest.mark.parametrize("max_mark", [Decimal(0), Decimal(-5)])
def test_aspect_max_mark_positive(make_event, make_trade, max_mark):
    trade = make_trade(make_event())
    criterion = trade.criteria[0]
    refused(Aspect(criterion=criterion, code="X", description_zh="x", max_mark=max_mark))
    assert count(Aspect) == 2


def test_criterion_weight_positive_and_code_unique(make_event, make_trade):
    trade = make_trade(make_event())
    refused(Criterion(trade=trade, code="B", name_zh="b", weight=Decimal(0)))
    refused(Criterion(trade=trade, code="A", name_zh="again"))
    assert count(Criterion) == 1


def test_one_default_award_rule_per_event(make_event):
    event = make_event()
    db.session.add(AwardRule(event_id=event.id, trade_id=None))
    db.session.commit()
    refused(AwardRule(event_id=event.id, trade_id=None, method="quotas"))
    # another event has its own default
    db.session.add(AwardRule(event_id=make_event().id, trade_id=None))
    db.session.commit()
    assert count(AwardRule) == 2


def test_one_award_rule_override_per_trade(make_event, make_trade):
    event = make_event()
    trade = make_trade(event)
    db.session.add_all([AwardRule(event_id=event.id, trade_id=None),
                        AwardRule(event_id=event.id, trade_id=trade.id)])
    db.session.commit()
    refused(AwardRule(event_id=event.id, trade_id=trade.id, method="quotas"))
    assert count(AwardRule, event_id=event.id) == 2


@pytest.mark.parametrize("field, value", [("method", "lottery"), ("labels", "stars"),
                                          ("excellence", "always"), ("quota_first", -1)])
def test_award_rule_values_checked(make_event, field, value):
    refused(AwardRule(event_id=make_event().id, trade_id=None, **{field: value}))


def _user(username: str, role: Role, event: Event | None) -> User:
    return User(username=username, name=username, role=role, event=event,
                password_hash=hash_password("x" * 12))


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_non_administrator_needs_an_event(role):
    refused(_user("someone", role, None))
    assert count(User) == 0


def test_administrator_belongs_to_no_event():
    db.session.add(_user("root", Role.ADMINISTRATOR, None))
    db.session.commit()
    assert count(User) == 1


def test_username_unique_across_events(make_event):
    db.session.add(_user("zhangwei", Role.JUDGE, make_event()))
    db.session.commit()
    refused(_user("zhangwei", Role.JUDGE, make_event()))
    assert count(User) == 1


def test_judge_assigned_once_per_trade(make_event, make_trade, make_user):
    event = make_event()
    trade = make_trade(event)
    judge = make_user(Role.JUDGE, event, trades=[trade])
    refused(JudgeAssignment(user_id=judge.id, trade_id=trade.id, is_chief=True))
    assert count(JudgeAssignment) == 1


def test_deleting_an_event_in_the_database_removes_everything_in_it(
        make_event, make_trade, make_delegation, make_user):
    event, other = make_event(), make_event()
    delegation = make_delegation(event)
    trade = make_trade(event)
    kept = make_trade(other)
    db.session.add_all([AwardRule(event_id=event.id, trade_id=None),
                        AwardRule(event_id=event.id, trade_id=trade.id)])
    db.session.commit()
    make_user(Role.JUDGE, event, trades=[trade], delegation=delegation)
    make_user(Role.JUDGE, other, trades=[kept])
    event_id = event.id
    db.session.expunge_all()
    # Core delete: the database's ON DELETE CASCADE does the work, not the ORM.
    db.session.execute(sa.delete(Event).where(Event.id == event_id))
    db.session.commit()
    assert count(Trade) == 1 and count(Delegation) == 0 and count(AwardRule) == 0
    assert count(Criterion) == 1 and count(Aspect) == 2  # the other event's trade
    assert count(User) == 1 and count(JudgeAssignment) == 1


def test_deleting_a_delegation_keeps_its_judges(make_event, make_delegation, make_user):
    event = make_event()
    delegation = make_delegation(event)
    judge = make_user(Role.JUDGE, event, delegation=delegation)
    db.session.execute(sa.delete(Delegation).where(Delegation.id == delegation.id))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, judge.id).delegation_id is None
