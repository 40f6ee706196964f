"""A measurement is entered once: one judge enters it, the others see it read-only with who
entered it and the server refuses them; optionally a second judge confirms it. The judge's
sheet, "my trades", the chief judge's progress and the competition-day overview count the
expected marks with the one panel rule, so they agree.

The scene (tests/app/conftest.py): judges J0 (delegation 0), J1 (delegation 1), J2 (none), a
chief judge (delegation 2); entrants E0, E1, E2 of delegations 0, 1, 2; aspects measurement
(M), judgement (J), panel mark (P). Eligible: E0 J1 J2; E1 J0 J2; E2 J0 J1 J2.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from competition.domain.panel import CONFIRMED, MEASURED
from competition.extensions import db
from competition.models import Event, JudgeAssignment, Score, Trade, User
from competition.services import demo, judging
from tests.app.support import cell, stored
from tests.app.test_judging_pages import form_for, key, sheet_url


def counts(trade: Trade, user: User) -> dict[str, tuple[int, int]]:
    """The judge's own count on their sheet, on "my trades" and on the chief judge's progress."""
    data = judging.sheet(user, trade)
    mine = {a.trade_id: (entered, expected) for a, entered, expected in judging.my_trades(user)}
    progress = {p.judge.id: (p.entered, p.expected) for p in judging.progress(trade).judges}
    return {"sheet": (data.entered, data.expected), "my trades": mine[trade.id],
            "progress": progress[user.id]}


def trade_counts(trade: Trade, organizer: User) -> tuple[tuple[int, int], tuple[int, int]]:
    """The trade's marks in of expected: the chief's progress and the organizer's overview."""
    progress = judging.progress(trade)
    day = next(t for t in judging.competition_day(trade.event, organizer) if t.trade.id == trade.id)
    return (progress.entered, progress.expected), (day.entered, day.expected)


def test_the_first_judge_enters_it_and_the_others_see_it_read_only(scene, login):
    j0, _j1, j2 = scene.judges
    e1 = scene.entrants[1]
    assert judging.save_sheet(j2, scene.trade, [cell(e1, scene.measurement, "7.5")]).ok
    client = login(j0)
    html = client.get(sheet_url(scene)).get_data(as_text=True)
    assert f'name="m-{key(e1)}-{scene.measurement.id}"' not in html
    assert "7.5" in html and f"{j2.name} 录入" in html  # "entered by", in the default Chinese
    # a crafted POST of the read-only cell is refused by the server, nothing is written
    response = client.post(sheet_url(scene), data=form_for((e1, scene.measurement, "9", None, "")))
    assert response.status_code != 302
    assert stored(j0, e1, scene.measurement) is None
    assert stored(j2, e1, scene.measurement).value == Decimal("7.5")
    result = judging.save_sheet(j0, scene.trade, [cell(e1, scene.measurement, "9")])
    assert result.problems_by_cell and \
        next(iter(result.problems_by_cell.values())).message == MEASURED
    # the chief judge corrects it as any other judge's mark: with a reason
    assert judging.save_sheet(scene.chief, scene.trade, [cell(e1, scene.measurement, "7.4", 1, j2)],
                              "remeasured").ok
    assert stored(j2, e1, scene.measurement).value == Decimal("7.4")
    assert judging.discrepancies(scene.trade) == []


def test_the_three_counts_agree_on_a_small_scene(scene):
    """J2 enters all three measurements and every J and P (9 of 9); J0 then has J and P of E1
    and E2 left (4 of 4); J1 has entered nothing (4: J and P of E0 and E2). The trade expects
    5 (E0: 1 + 2 + 2) + 5 (E1) + 7 (E2: 1 + 3 + 3) = 17 and has 3 + 6 + 4 = 13."""
    j0, j1, j2 = scene.judges
    for judge, entrants in ((j2, scene.entrants), (j0, scene.entrants[1:])):
        assert judging.save_sheet(judge, scene.trade, [
            cell(e, a, "2") for e in entrants for a in scene.aspects
            if a.kind != "measurement" or judge is j2]).ok
    assert counts(scene.trade, j2) == dict.fromkeys(("sheet", "my trades", "progress"), (9, 9))
    assert counts(scene.trade, j0) == dict.fromkeys(("sheet", "my trades", "progress"), (4, 4))
    assert counts(scene.trade, j1) == dict.fromkeys(("sheet", "my trades", "progress"), (0, 4))
    assert counts(scene.trade, scene.chief) == dict.fromkeys(("sheet", "my trades", "progress"),
                                                             (0, 0))
    assert trade_counts(scene.trade, scene.organizer) == ((13, 17), (13, 17))
    assert judging.sheet(j0, scene.trade).complete == 2     # E1 and E2: all of J0's share
    assert judging.discrepancies(scene.trade) == []


def test_the_three_counts_agree_on_the_small_demo(app):
    demo.build("small")
    event = db.session.scalar(sa.select(Event))
    organizer = db.session.scalar(sa.select(User).where(User.role == "organizer"))
    trades = db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)).all()
    for trade in trades:
        progress, day = trade_counts(trade, organizer)
        assert progress == day
        assert judging.discrepancies(trade) == [] or all(
            a.kind != "measurement" for d in judging.discrepancies(trade)
            for a in trade.criteria[0].aspects if a.id == d.aspect_id)
        measured = db.session.execute(
            sa.select(Score.entrant_id, Score.aspect_id, sa.func.count(Score.id))
            .join(Score.aspect).where(Score.trade_id == trade.id)
            .group_by(Score.entrant_id, Score.aspect_id)).all()
        kinds = {a.id: a.kind for c in trade.criteria for a in c.aspects}
        assert all(n == 1 for _e, a, n in measured if kinds[a] == "measurement")
        for user_id in db.session.scalars(sa.select(JudgeAssignment.user_id)
                                          .where(JudgeAssignment.trade_id == trade.id)).all()[:3]:
            found = counts(trade, db.session.get(User, user_id))
            assert len(set(found.values())) == 1, (trade.code, found)


def test_a_second_judge_confirms_when_the_trade_asks(scene):
    j0, j1, j2 = scene.judges
    e2 = scene.entrants[2]
    scene.trade.confirm_measurements = True
    db.session.commit()
    assert judging.save_sheet(j2, scene.trade, [cell(e2, scene.measurement, "7.5")]).ok
    # the same judge cannot confirm their own measurement: their one mark stays one mark
    assert judging.save_sheet(j2, scene.trade, [cell(e2, scene.measurement, "7.5", 1)]).ok
    aspect = next(a for a in judging.progress(scene.trade).aspects
                  if a.aspect.id == scene.measurement.id)
    assert aspect.complete == 0
    assert judging.sheet(j1, scene.trade).to_confirm == {(e2.id, scene.measurement.id): j2.name}
    # a different value: one measurement discrepancy for the chief judge
    assert judging.save_sheet(j1, scene.trade, [cell(e2, scene.measurement, "7.4")]).ok
    found = judging.discrepancies(scene.trade)
    assert [(d.entrant_id, d.aspect_id) for d in found] == [(e2.id, scene.measurement.id)]
    assert judging.progress(scene.trade).entered == 1
    # the same value: confirmed, complete, no discrepancy
    assert judging.save_sheet(j1, scene.trade, [cell(e2, scene.measurement, "7.5", 1)]).ok
    assert judging.discrepancies(scene.trade) == []
    progress = judging.progress(scene.trade)
    aspect = next(a for a in progress.aspects if a.aspect.id == scene.measurement.id)
    assert aspect.complete == 1 and progress.entered == 2
    # E0 and E1 need two measurement marks (two judges each), E2 too: 2 + 2 + 2 + J and P 14
    assert progress.expected == 20
    # a third judge may not add to a confirmed measurement
    result = judging.save_sheet(j0, scene.trade, [cell(e2, scene.measurement, "7.5")])
    assert next(iter(result.problems_by_cell.values())).message == CONFIRMED
    assert trade_counts(scene.trade, scene.organizer) == ((2, 20), (2, 20))
