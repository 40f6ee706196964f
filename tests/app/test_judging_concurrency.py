"""Many judges saving at once (same and different cells): no lost update, no error, and an audit
log that replays to exactly what is stored. Runs against SQLite (a WAL file) and PostgreSQL.

Two threads save for each judge; at every round both read the sheet, wait for each other, then
save, so that each round one of them may save over a cell the other has just changed: that save
must come back stale, and every save that went through must have been made from the version the
cell had just before it (the optimistic version check; without it the stale saves would pass and
overwrite marks their judge never saw)."""

from __future__ import annotations

import random
import threading
from collections import defaultdict

import sqlalchemy as sa

from competition.extensions import db
from competition.models import AuditAction, AuditEntry, Score, Trade, User
from competition.services import judging

THREADS = 8
SAVES = 20


def _judge_loop(app, judge_id: int, trade_id: int, cells: list[tuple[int, int]], seed: int,
                outcome: dict, barrier: threading.Barrier) -> None:
    rng = random.Random(seed)
    with app.app_context():
        try:
            judge = db.session.get(User, judge_id)
            trade = db.session.get(Trade, trade_id)
            for _ in range(SAVES):
                chosen = rng.sample(cells, 2)
                current = {(s.entrant_id, s.aspect_id): s.version for s in db.session.execute(
                    sa.select(Score.entrant_id, Score.aspect_id, Score.version)
                    .where(Score.judge_id == judge_id))}
                db.session.rollback()
                marks = [judging.CellInput(e, a, rng.choice(["", "1", "2", "3", "4", "5"]),
                                           current.get((e, a))) for e, a in chosen]
                barrier.wait()
                result = judging.save_sheet(judge, trade, marks)
                assert not result.problems_by_cell and not result.problems, result
                outcome["saved"] += result.saved
                outcome["conflicts"] += bool(result.stale)
                if result.ok:
                    outcome["made"].extend((judge_id, m.entrant_id, m.aspect_id, m.version)
                                           for m in marks)
                outcome["rounds"] += 1
        except Exception as error:  # noqa: BLE001 - the test reports every thread's failure
            outcome["errors"].append(repr(error))
        finally:
            db.session.remove()


def test_concurrent_saves_lose_nothing_and_log_everything(app, scene):
    judges = [scene.judges[2].id, scene.judges[2].id, scene.judges[1].id, scene.judges[1].id]
    # judge 1 is of delegation 1: give both the cells of entrants 0 and 2
    entrants = [scene.entrants[0].id, scene.entrants[2].id]
    # panel marks only: a measurement is entered once, so one judge's would refuse the other's
    cells = [(e, a.id) for e in entrants for a in (scene.panel,)]
    outcomes = [{"saved": 0, "conflicts": 0, "rounds": 0, "made": [], "errors": []}
                for _ in range(THREADS)]
    # Threads i and i + 4 save for the same judge and meet at a barrier every round.
    barriers = [threading.Barrier(2, timeout=60) for _ in judges]
    threads = [threading.Thread(target=_judge_loop, args=(
        app, judges[i % len(judges)], scene.trade.id, cells, i, outcomes[i],
        barriers[i % len(judges)])) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert not [t for t in threads if t.is_alive()], "a saving thread did not finish"
    assert [o["errors"] for o in outcomes] == [[]] * THREADS
    assert [o["rounds"] for o in outcomes] == [SAVES] * THREADS
    saved = sum(o["saved"] for o in outcomes)
    assert saved > 0
    # Two threads of one judge saving the same cells at the same moment: some saves are stale.
    assert sum(o["conflicts"] for o in outcomes) > 0
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == saved

    # Replay the log per cell: each change starts from what the previous one left, and the last
    # one left what is stored. A lost update would break the chain.
    history: dict[tuple, list[AuditEntry]] = defaultdict(list)
    for entry in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)):
        history[(entry.judge_id, entry.entrant_id, entry.aspect_id)].append(entry)
    stored = {(s.judge_id, s.entrant_id, s.aspect_id): s for s in db.session.scalars(sa.select(Score))}
    for key, entries in history.items():
        previous = None
        updates = 0
        for entry in entries:
            assert entry.old_value == previous, (key, entry.id)
            previous = entry.new_value
            updates = updates + 1 if entry.action == AuditAction.UPDATE else 0
        score = stored.get(key)
        assert (score.value if score else None) == previous
        if score is not None:
            assert score.version == updates + 1
    assert set(stored) <= set(history)

    # Every save that went through was made from the version its cells had just before: the
    # n-th change of a cell since its insert was made by a save that had loaded version n.
    made = {(judge, entrant, aspect, version) for o in outcomes
            for judge, entrant, aspect, version in o["made"]}
    for (judge, entrant, aspect), entries in history.items():
        version = None
        for entry in entries:
            if entry.action == AuditAction.INSERT:
                assert (judge, entrant, aspect, None) in made, (entry.id, "insert")
                version = 1
            elif entry.action == AuditAction.UPDATE:
                assert (judge, entrant, aspect, version) in made, (entry.id, version)
                version += 1
            else:
                assert (judge, entrant, aspect, version) in made, (entry.id, "delete")
                version = None
