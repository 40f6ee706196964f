"""Judging at the seed's size: sheet saves per second with concurrent judges, and the time to
recompute every trade total, each beside a baseline measured the same way in the same run.

    .venv/bin/python benchmarks/bench_judging.py [--judges 1,4,8] [--saves 40]

Builds the seed demo (70 trades, 2,221 contestants, 1,091 judges) in a temporary SQLite file,
gives it demo marks, then:

- saves: N threads, each a judge logged in through its own test client, POST their sheet
  (one entrant's row, every aspect changed) in a loop against the WSGI app; the baseline is the
  same threads GETting the home page.
- totals: judging.trade_totals for all 70 trades; the baseline reads the same marks with one raw
  SELECT per trade and does nothing with them.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from competition import create_app  # noqa: E402
from competition.extensions import db  # noqa: E402
from competition.models import Contestant, Entrant, Event, JudgeAssignment, Score, Trade, User  # noqa: E402
from competition.services import demo, judging  # noqa: E402

SECRET = "a-benchmark-secret-key-of-at-least-32-bytes"  # a served app refuses shorter keys

ENTRANTS_PER_TRADE = 32


def ensure_entrants(event: Event) -> None:
    """If the registration demo is not there yet, register 32 entrants per trade directly."""
    if db.session.scalar(sa.select(sa.func.count(Entrant.id))):
        return
    delegations = event.delegations
    number = 0
    for trade in event.trades:
        for i in range(ENTRANTS_PER_TRADE // trade.team_size):
            delegation = delegations[i % len(delegations)]
            entrant = Entrant(trade=trade, delegation=delegation, draw_number=i + 1,
                              team_name=f"{delegation.name_zh}{i}队" if trade.team_size > 1 else None)
            for _ in range(trade.team_size):
                number += 1
                entrant.members.append(Contestant(
                    event_id=event.id, trade=trade, delegation=delegation, name=f"选手{number}",
                    gender="M", id_type="passport", id_number=f"P{number:08d}",
                    competitor_number=f"B{number:05d}"))
            db.session.add(entrant)
    db.session.commit()


def timed(function, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def judge_jobs(event: Event, count: int) -> list[tuple[str, int, int, list[int]]]:
    """(username, trade id, entrant id, aspect ids) for ``count`` judges of different trades,
    each with an entrant they may mark."""
    jobs = []
    for trade in db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)
                                    .order_by(Trade.code)):
        panel = judging.load_panel(trade)
        aspects = [a.id for c in trade.criteria for a in c.aspects]
        for judge_id in panel.scorers:
            entrant = next((e for e in sorted(panel.entrants)
                            if panel.recusal(judge_id, e) is None), None)
            if entrant is not None:
                jobs.append((db.session.get(User, judge_id).username, trade.id, entrant, aspects))
                break
        if len(jobs) == count:
            break
    return jobs


def run_threads(app, jobs, password: str, saves: int, baseline: bool) -> tuple[float, int, int]:
    """(requests per second, successes, failures) of len(jobs) threads doing ``saves`` each."""
    clients = []
    for username, trade_id, entrant_id, aspects in jobs:
        client = app.test_client()
        response = client.post("/auth/login", data={"username": username, "password": password})
        assert response.status_code == 302, response.status_code
        versions = dict(db.session.execute(
            sa.select(Score.aspect_id, Score.version).join(
                JudgeAssignment, JudgeAssignment.user_id == Score.judge_id)
            .where(Score.entrant_id == entrant_id, Score.trade_id == trade_id,
                   JudgeAssignment.trade_id == trade_id,
                   Score.judge_id == db.session.scalar(
                       sa.select(User.id).where(User.username == username)))).all())
        clients.append((client, trade_id, entrant_id, aspects, versions))
    db.session.remove()
    outcome = {"ok": 0, "failed": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)

    def work(client, trade_id, entrant_id, aspects, versions):
        ok = failed = 0
        barrier.wait()
        for i in range(saves):
            if baseline:
                response = client.get("/")
                good = response.status_code == 200
            else:
                data = {}
                for a in aspects:
                    data[f"m-{entrant_id}-{a}"] = str(i % 2)
                    data[f"v-{entrant_id}-{a}"] = str(versions.get(a, ""))
                    data[f"o-{entrant_id}-{a}"] = "x"
                response = client.post(f"/judge/trades/{trade_id}/sheet", data=data)
                good = response.status_code == 302
                if good:
                    for a in aspects:
                        versions[a] = versions.get(a, 0) + 1 if a in versions else 1
            ok, failed = ok + good, failed + (not good)
        with lock:
            outcome["ok"] += ok
            outcome["failed"] += failed

    threads = [threading.Thread(target=work, args=c) for c in clients]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return (outcome["ok"] + outcome["failed"]) / elapsed, outcome["ok"], outcome["failed"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judges", default="1,4,8")
    parser.add_argument("--saves", type=int, default=40)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-judging-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
                      "SECRET_KEY": SECRET, "WTF_CSRF_ENABLED": False,
                      "PASSWORD_METHOD": "pbkdf2:sha256:1000"})
    import logging
    logging.getLogger("competition.access").setLevel(logging.ERROR)
    rows = []
    with app.app_context():
        db.create_all()
        start = time.perf_counter()
        logins = demo.build("seed", run=False)
        event = db.session.scalar(sa.select(Event))
        ensure_entrants(event)
        built = time.perf_counter() - start
        if not db.session.scalar(sa.select(sa.func.count(Score.id))):
            start = time.perf_counter()
            demo.add_scores(event, random.Random(1))
            rows.append(("demo marks (add_scores)", f"{time.perf_counter() - start:.2f} s", ""))
        password = next(p for u, p in logins.items() if "…" in u)
        marks = db.session.scalar(sa.select(sa.func.count(Score.id)))
        entrants = db.session.scalar(sa.select(sa.func.count(Entrant.id)))
        trades = db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)).all()
        print(f"seed demo built in {built:.1f} s: {len(trades)} trades, {entrants} entrants, "
              f"{marks} marks")

        def all_totals():
            for trade in trades:
                judging.trade_totals(trade)

        def raw_select():
            connection = db.session.connection()
            for trade in trades:
                connection.execute(sa.text("SELECT entrant_id, aspect_id, judge_id, value "
                                           "FROM score WHERE trade_id = :t"),
                                   {"t": trade.id}).fetchall()

        totals_time, raw_time = timed(all_totals), timed(raw_select)
        rows.append(("recompute all trade totals", f"{totals_time:.2f} s",
                     f"raw SELECT of the same marks {raw_time:.2f} s "
                     f"(×{totals_time / raw_time:.1f})"))
        counts = [int(n) for n in args.judges.split(",")]
        jobs = judge_jobs(event, max(counts))
    for n in counts:
        with app.app_context():
            base_rate, _ok, _bad = run_threads(app, jobs[:n], password, args.saves, baseline=True)
        with app.app_context():
            rate, ok, bad = run_threads(app, jobs[:n], password, args.saves, baseline=False)
        cells = len(jobs[0][3])
        rows.append((f"sheet saves, {n} concurrent judges", f"{rate:.0f} /s",
                     f"home page {base_rate:.0f} /s (×{rate / base_rate:.2f}); "
                     f"{ok} saved, {bad} refused; {cells}+ cells each"))
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'measure'.ljust(width)}  {'figure':>10}  baseline")
    for name, figure, baseline in rows:
        print(f"{name.ljust(width)}  {figure:>10}  {baseline}")


if __name__ == "__main__":
    main()
