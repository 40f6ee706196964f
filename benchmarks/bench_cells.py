"""Background saves of the judge's sheet at the seed's size: 60 judges typing at once, one cell
per request, under gunicorn, on SQLite and on PostgreSQL, beside a trivial route of the same app
under the same server; and how many acknowledged marks were lost (there must be none).

    .venv/bin/python benchmarks/bench_cells.py [--judges 60] [--cells 20] [--workers N]
        [--database sqlite|postgresql|both] [--postgres postgresql://postgres@127.0.0.1:5432/postgres]

Builds the seed demo (70 trades, 2,221 contestants, 1,091 judges) registered but not yet judged
in a temporary database (an SQLite file, or a database made on the PostgreSQL server given and
dropped afterwards), opens every trade for scoring through the service, and serves the real app
with one gunicorn process (sync workers, production configuration, no Redis). Each of the
judges (one per trade, as many trades as judges allow, then a second judge per trade) logs in
through the login form, opens their sheet and, in a thread of their own, saves ``--cells``
marks one by one through the sheet's background save (``POST /judge/trades/<id>/sheet/cells``,
JSON, the CSRF token in a header, the version the sheet showed), as the sheet's script does
while a judge types. The baseline is the same threads GETting the trivial route as often.
Afterwards every acknowledged mark is read back from the judges' sheets: the lost count.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import sqlalchemy as sa  # noqa: E402
from bench_load import (  # noqa: E402
    SECRET,
    Client,
    TemporaryDatabase,
    free_port,
    log_in,
    lost_updates,
    measure,
    new_value,
    sheet_cells,
    start_server,
    token,
    wait_for_server,
)

from competition import create_app  # noqa: E402
from competition.extensions import db  # noqa: E402
from competition.models import Event, JudgeAssignment, Position, Role, Trade, TradeStatus, User  # noqa: E402
from competition.services import demo, judging  # noqa: E402


def build(uri: str, judges: int) -> tuple[str, list[dict]]:
    """The seed demo, registered, every trade open; the judges' password and, per judge, the
    trade and the judge's username (one judge per trade first, then a second per trade)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": SECRET})
    with app.app_context():
        db.create_all()
        start = time.perf_counter()
        logins = demo.build("seed", run=False)
        event = db.session.scalar(sa.select(Event))
        organizer = db.session.scalar(sa.select(User).where(User.role == Role.ORGANIZER,
                                                            User.event_id == event.id))
        for trade in db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)
                                        .order_by(Trade.id)).all():
            if trade.status != TradeStatus.OPEN:
                judging.open_trade(trade, organizer)
        print(f"seed demo registered and every trade opened in {time.perf_counter() - start:.1f} s",
              flush=True)
        password = next(v for k, v in logins.items() if "…" in k)
        panels: dict[int, list[str]] = {}
        for trade_id, username in db.session.execute(
                sa.select(JudgeAssignment.trade_id, User.username)
                .join(User, User.id == JudgeAssignment.user_id)
                .where(JudgeAssignment.position == Position.JUDGE)
                .order_by(JudgeAssignment.trade_id, User.id)):
            panels.setdefault(trade_id, []).append(username)
        plans, used = [], set()
        for rank in range(3):  # the first judge of every trade, then the second, ...
            for trade_id, usernames in panels.items():
                if len(plans) < judges and rank < len(usernames) and usernames[rank] not in used:
                    used.add(usernames[rank])
                    plans.append({"trade": trade_id, "judge": usernames[rank]})
        db.engine.dispose()
        return password, plans


def post_json(client: Client, path: str, body: dict, csrf: str) -> tuple[int, dict]:
    """POST ``body`` as JSON with the client's cookies and the CSRF header; (status, answer)."""
    port = client.ports[0]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "X-CSRFToken": csrf,
               "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}
    try:
        connection.request("POST", path, body=json.dumps(body), headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            client.cookies[name] = rest.split(";", 1)[0]
        data = response.read()
        return response.status, (json.loads(data) if data[:1] == b"{" else {})
    finally:
        connection.close()


def typing(port: int, plans: list[dict], password: str, cells: int,
           acknowledged: list) -> list[list]:
    """Per judge, the zero-argument calls that save one mark each, in the order typed."""
    lock = threading.Lock()
    per_judge = []
    for plan in plans:
        client = Client([port])
        log_in(client, plan["judge"], password)
        _, page = client.request("GET", f"/judge/trades/{plan['trade']}/sheet")
        csrf = token(page)
        calls = []
        for key, value, top, version, _original in sheet_cells(page)[:cells]:
            def save(client=client, plan=plan, key=key, value=value, top=top, version=version,
                     csrf=csrf):
                text = new_value(value, top)
                status, answer = post_json(client, f"/judge/trades/{plan['trade']}/sheet/cells", {
                    "cells": [{"cell": key, "value": text,
                               "version": int(version) if version else None}], "reason": ""},
                    csrf)
                outcome = (answer.get("cells") or [{}])[0]
                if status == 200 and outcome.get("state") == "saved":
                    with lock:
                        acknowledged.append((client, plan["trade"], key, text))
                return status
            calls.append(save)
        per_judge.append(calls)
    return per_judge


def run_judges(per_judge: list[list]) -> dict:
    """Every judge in a thread of their own, saving their marks one after the other."""
    statuses: list[int] = []
    latencies: list[float] = []
    lock = threading.Lock()

    def judge(calls):
        for call in calls:
            start = time.perf_counter()
            status = call()
            with lock:
                latencies.append(time.perf_counter() - start)
                statuses.append(status)

    threads = [threading.Thread(target=judge, args=(calls,)) for calls in per_judge]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": latencies[len(latencies) // 2] * 1000,
            "p95": latencies[int(len(latencies) * 0.95)] * 1000,
            "5xx": sum(s >= 500 for s in statuses), "n": len(statuses),
            "other": sum(s != 200 for s in statuses)}


def one_database(kind: str, args: argparse.Namespace) -> list[tuple]:
    temporary, folder = None, None
    if kind == "postgresql":
        temporary = TemporaryDatabase(args.postgres)
        uri = temporary.url
    else:
        folder = tempfile.mkdtemp(prefix="bench-cells-")
        uri = f"sqlite:///{folder}/bench.sqlite"
    server = None
    try:
        password, plans = build(uri, args.judges)
        port = free_port()
        server = start_server(port, uri, "", args.workers)
        wait_for_server(port)
        acknowledged: list = []
        per_judge = typing(port, plans, password, args.cells, acknowledged)
        total = sum(len(calls) for calls in per_judge)
        baseline = measure([lambda: Client([port]).request("GET", "/bench/trivial")[0]] * total,
                           len(per_judge))
        figures = run_judges(per_judge)
        lost = lost_updates(acknowledged)
        return [(kind, len(plans), figures, baseline, len(acknowledged), lost)]
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if temporary is not None:
            temporary.drop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judges", type=int, default=60)
    parser.add_argument("--cells", type=int, default=20, help="marks each judge types")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    rows = [row for kind in kinds for row in one_database(kind, args)]
    print(f"\n{args.workers} gunicorn sync workers, {os.cpu_count()} CPUs; each judge in a thread "
          f"of their own, {args.cells} marks each, one cell per request")
    header = ("database", "judges", "saves/s", "trivial/s", "× trivial", "p50 ms", "p95 ms",
              "5xx", "not 200", "saved", "lost")
    lines = [(kind, str(n), f"{f['rps']:.0f}", f"{b['rps']:.0f}", f"{f['rps'] / b['rps']:.2f}",
              f"{f['p50']:.1f}", f"{f['p95']:.1f}", str(f["5xx"]), str(f["other"]), str(saved),
              str(lost)) for kind, n, f, b, saved, lost in rows]
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print("  ".join(c.rjust(w) if i else c.ljust(w)
                        for i, (c, w) in enumerate(zip(line, widths, strict=True))))
    return 1 if any(row[5] or row[2]["5xx"] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
