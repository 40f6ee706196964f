"""Certificates: who is entitled to which, and the plan that keeps, revokes and issues them on
one rule of "the award changed"."""

from __future__ import annotations

import pytest

from competition.domain.awards import Tier
from competition.domain.certificates import (
    CertificateKind,
    CertifiedLine,
    Entitlement,
    Held,
    Member,
    award_changed,
    entitlements,
    plan,
)

NAMES = {Tier.FIRST: ("金牌", "Gold"), Tier.SECOND: ("银牌", "Silver"),
         Tier.THIRD: ("铜牌", "Bronze"), None: ("优胜奖", "Excellence")}


def names(tier, _excellence):
    return NAMES[tier]


def line(tier=None, excellence=False, titles=(), competed=True, members=((1, "张三", "T01-001"),)):
    return CertifiedLine(tier, excellence, titles, competed, delegation_id=7,
                         delegation_name_zh="郑州市", delegation_name_en="Zhengzhou",
                         members=tuple(Member(*m) for m in members))


@pytest.mark.parametrize("lines, participation, wanted", [
    ([line(Tier.FIRST)], None, [(1, "award", "金牌")]),
    ([line(excellence=True)], None, [(1, "award", "优胜奖")]),
    ([line(Tier.SECOND, titles=(("技术能手", "Technical Expert"),))], None,
     [(1, "award", "银牌"), (1, "title", "技术能手")]),
    ([line()], None, []),
    ([line()], ("参赛证书", "Participation"), [(1, "participation", "参赛证书")]),
    ([line(competed=False)], ("参赛证书", "Participation"), []),
    ([line(Tier.FIRST, members=((1, "甲", ""), (2, "乙", ""), (None, "丙", "")))], None,
     [(1, "award", "金牌"), (2, "award", "金牌")]),  # each member; a removed one gets none
], ids=["gold", "excellence", "tier-and-title", "nothing", "participation",
        "absent-no-participation", "team-members"])
def test_entitlements(lines, participation, wanted):
    found = entitlements(lines, names, participation)
    assert [(e.contestant_id, e.kind.value, e.award_zh) for e in found] == wanted


def held(id_, contestant, kind, award, name="张三", delegation="郑州市"):
    return Held(id_, contestant, CertificateKind(kind), award, name, delegation)


def wants(contestant, kind, award, name="张三", delegation="郑州市"):
    return Entitlement(contestant, CertificateKind(kind), award, "", name, "", 7, delegation, "")


@pytest.mark.parametrize("certificate, wanted, changed", [
    (held(1, 1, "award", "金牌"), wants(1, "award", "金牌"), False),
    (held(1, 1, "award", "金牌"), None, True),
    (held(1, 1, "award", "金牌"), wants(1, "award", "金牌", name="张叁"), True),
    (held(1, 1, "award", "金牌"), wants(1, "award", "金牌", delegation="开封市"), True),
], ids=["same", "no-longer-entitled", "name-corrected", "delegation-changed"])
def test_award_changed(certificate, wanted, changed):
    assert award_changed(certificate, wanted) is changed


def test_the_plan_keeps_revokes_and_replaces():
    """Person 1 drops from gold to silver (revoke 10, issue silver replacing it); person 2 keeps
    bronze (11); person 3 loses their title (12 revoked, nothing replaces it); person 4 is new."""
    certificates = [held(10, 1, "award", "金牌"), held(11, 2, "award", "铜牌"),
                    held(12, 3, "title", "技术能手")]
    wanted = [wants(1, "award", "银牌"), wants(2, "award", "铜牌"), wants(4, "award", "优胜奖")]
    todo = plan(certificates, wanted, participation=False)
    assert todo.keep == [11]
    assert todo.revoke == [10, 12]
    assert [(e.contestant_id, e.award_zh, replaces) for e, replaces in todo.issue] == [
        (1, "银牌", 10), (4, "优胜奖", None)]


def test_planning_twice_changes_nothing_the_second_time():
    wanted = [wants(1, "award", "金牌"), wants(1, "title", "技术能手")]
    first = plan([], wanted, participation=False)
    assert [e.key for e, _ in first.issue] == [w.key for w in wanted]
    issued = [held(n, e.contestant_id, e.kind.value, e.award_zh) for n, (e, _) in
              enumerate(first.issue, start=1)]
    again = plan(issued, wanted, participation=False)
    assert (again.keep, again.revoke, again.issue) == ([1, 2], [], [])


def test_switching_participation_off_keeps_printed_participation_certificates():
    todo = plan([held(5, 1, "participation", "参赛证书")], [], participation=False)
    assert (todo.keep, todo.revoke, todo.issue) == ([], [], [])
