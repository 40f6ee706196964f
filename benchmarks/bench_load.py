"""Load at the seed's size under gunicorn: public pages, the live board and judges' sheet saves.

    .venv/bin/python benchmarks/bench_load.py [--requests 1200] [--threads 8] [--workers N]
                                              [--database-url postgresql://...]

Builds the seed demo (70 trades, 2,221 contestants, every mark, all trades published but two
still open for scoring) in a temporary SQLite file, or in an EMPTY PostgreSQL database given with
--database-url, serves the real app with gunicorn on 127.0.0.1, and sends a bounded number of
requests per route from a pool of client threads (one connection per request, http.client).
Each route is printed beside a trivial route of the same app under the same server: requests per
second, latency percentiles, and 5xx answers. The sheet saves are real: each client thread is a
judge of an open trade, logged in through the login form (CSRF included), changing one mark per
request with the version it loaded; afterwards every acknowledged save is checked in the
database, which gives the count of lost updates.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from competition import create_app  # noqa: E402
from competition.extensions import db  # noqa: E402
from competition.models import Aspect, Criterion, Event, JudgeAssignment, Score, Trade, TradeStatus, User  # noqa: E402
from competition.services import demo  # noqa: E402

EVENT = "HN2026"


def served_app():
    """What gunicorn serves: the real app (production config) plus one trivial route."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URI"],
                      "SECRET_KEY": "bench-secret", "RATELIMIT_ENABLED": False})
    app.add_url_rule("/bench/trivial", "bench_trivial", lambda: "ok")
    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One browser: a cookie jar over fresh http.client connections."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, response.read()
        finally:
            connection.close()


def token(html: bytes) -> str:
    return re.search(rb'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1).decode()


def log_in(client: Client, username: str, password: str) -> None:
    _, page = client.request("GET", "/auth/login")
    status, _ = client.request("POST", "/auth/login", {"csrf_token": token(page),
                                                       "username": username, "password": password})
    if status != 302:
        raise SystemExit(f"login of {username} failed ({status})")


def measure(calls, threads: int) -> dict:
    """Run the zero-argument callables from a pool; rate, percentiles and 5xx count."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def one(call):
        nonlocal errors
        start = time.perf_counter()
        status = call()
        took = time.perf_counter() - start
        with lock:
            latencies.append(took)
            errors += status >= 500

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, calls))
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p95": pct(0.95), "p99": pct(0.99), "5xx": errors, "n": len(latencies)}


def build(uri: str) -> tuple[str, list[dict]]:
    """The seed demo; returns the judges' password and, per open trade, its judges and cells."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "bench-secret"})
    with app.app_context():
        db.create_all()
        if db.session.scalar(sa.select(sa.func.count(Event.id))):
            raise SystemExit("The database must be empty.")
        start = time.perf_counter()
        logins = demo.build("seed")
        print(f"seed demo with every mark built in {time.perf_counter() - start:.1f} s", flush=True)
        password = next(v for k, v in logins.items() if "…" in k)
        open_trades = db.session.scalars(sa.select(Trade).where(Trade.status == TradeStatus.OPEN)).all()
        plans = []
        for trade in open_trades:
            aspects = {a.id: a for a in db.session.scalars(
                sa.select(Aspect).join(Criterion).where(Criterion.trade_id == trade.id))}
            judges = db.session.scalars(sa.select(User).join(JudgeAssignment).where(
                JudgeAssignment.trade_id == trade.id, JudgeAssignment.is_chief.is_(False))
                .order_by(User.id)).all()
            for judge in judges:
                cells = db.session.execute(sa.select(Score.entrant_id, Score.aspect_id, Score.value,
                                                     Score.version).where(
                    Score.trade_id == trade.id, Score.judge_id == judge.id)).all()
                plans.append({"trade": trade.id, "judge": judge.username, "judge_id": judge.id,
                              "cells": [(e, a, v, ver, aspects[a]) for e, a, v, ver in cells]})
        return password, plans


def new_value(value: Decimal, aspect: Aspect) -> str:
    top = Decimal(3) if aspect.kind == "judgement" else aspect.max_mark
    return str(top if value != top else Decimal(0))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1200, help="requests per GET route")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database (default: SQLite)")
    return parser.parse_args()


def wait_for_server(port: int) -> None:
    """Poll the trivial route until gunicorn answers, for up to a minute."""
    deadline = time.time() + 60
    while True:
        try:
            if Client(port).request("GET", "/bench/trivial")[0] == 200:
                return
        except OSError:
            pass
        if time.time() > deadline:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)


def measure_routes(port: int, args: argparse.Namespace, trade_code: str) -> tuple[list[tuple], float]:
    """The GET routes' figures, each with its ratio to the trivial route; and that route's rate."""
    def getter(path):
        return lambda: Client(port).request("GET", path)[0]

    trade = f"/events/{EVENT}/trades/{trade_code}"
    routes = [("trivial route (baseline)", "/bench/trivial"),
              ("medal table page", f"/events/{EVENT}/medals"),
              ("medal table API", f"/api/v1/events/{EVENT}/medal-table"),
              (f"trade results page ({trade_code})", trade),
              (f"trade results API ({trade_code})", f"/api/v1{trade}/results"),
              ("live board page", f"/events/{EVENT}/board"),
              ("live board JSON", f"/api/v1/events/{EVENT}/board")]
    rows, baseline = [], None
    for label, path in routes:
        measure([getter(path)] * (args.threads * 4), args.threads)  # warm every worker
        figures = measure([getter(path)] * args.requests, args.threads)
        baseline = baseline or figures["rps"]
        rows.append((label, figures, figures["rps"] / baseline))
    return rows, baseline


def sheet_saves(port: int, plans: list[dict], password: str,
                acknowledged: list[tuple[int, int, int, str]]) -> list:
    """One zero-argument call per planned cell, the judges interleaved; each logged-in client
    changes one mark per request and records the saves the server acknowledged."""
    lock = threading.Lock()
    calls = []
    for plan in plans:
        client = Client(port)
        log_in(client, plan["judge"], password)
        _, page = client.request("GET", f"/judge/trades/{plan['trade']}/sheet")
        csrf = token(page)
        for entrant, aspect_id, value, version, aspect in plan["cells"]:
            def save(client=client, plan=plan, entrant=entrant, aspect_id=aspect_id,
                     value=value, version=version, aspect=aspect, csrf=csrf):
                text = new_value(value, aspect)
                key = f"{entrant}-{aspect_id}"
                status, _ = client.request("POST", f"/judge/trades/{plan['trade']}/sheet", {
                    "csrf_token": csrf, f"m-{key}": text, f"v-{key}": version,
                    f"o-{key}": f"{value.normalize():f}", "reason": ""})
                if status == 302:
                    with lock:
                        acknowledged.append((plan["judge_id"], entrant, aspect_id, text))
                return status
            calls.append(save)
    # interleave the judges so that they really save at the same time
    return [c for group in zip(*[calls[i::len(plans)] for i in range(len(plans))]) for c in group]


def lost_updates(uri: str, acknowledged: list[tuple[int, int, int, str]]) -> int:
    """How many acknowledged saves the database does not hold."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": "x"})
    with app.app_context():
        stored = {(j, e, a): v for j, e, a, v in db.session.execute(
            sa.select(Score.judge_id, Score.entrant_id, Score.aspect_id, Score.value))}
    return sum(1 for j, e, a, text in acknowledged if stored.get((j, e, a)) != Decimal(text))


def print_table(rows: list[tuple], args: argparse.Namespace, uri: str) -> None:
    print()
    print(f"gunicorn {args.workers} sync workers, {args.threads} client threads, "
          f"{os.cpu_count()} CPUs, {'PostgreSQL' if 'postgresql' in uri else 'SQLite'}; "
          f"{args.requests} requests per route")
    header = ("route", "req/s", "× trivial", "p50 ms", "p95 ms", "p99 ms", "5xx")
    lines = [(label, f"{f['rps']:.0f}", f"{ratio:.2f}", f"{f['p50']:.1f}", f"{f['p95']:.1f}",
              f"{f['p99']:.1f}", str(f["5xx"])) for label, f, ratio in rows]
    widths = [max(len(str(r[i])) for r in [header, *lines]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                        for i, (c, w) in enumerate(zip(line, widths))))


def main() -> None:
    args = parse_args()

    folder = tempfile.mkdtemp(prefix="bench-load-")
    uri = args.database_url or f"sqlite:///{folder}/bench.sqlite"
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    password, plans = build(uri)
    plans = plans[: args.threads]
    trade_code = "T07"

    port = free_port()
    env = {**os.environ, "BENCH_DATABASE_URI": uri, "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--chdir", str(ROOT),
         "--pythonpath", str(ROOT / "benchmarks"), "bench_load:served_app()"], env=env)
    try:
        wait_for_server(port)
        rows, baseline = measure_routes(port, args, trade_code)

        # judges' sheet saves: one logged-in client per judge, one changed mark per request
        acknowledged: list[tuple[int, int, int, str]] = []
        calls = sheet_saves(port, plans, password, acknowledged)
        figures = measure(calls[: args.requests], args.threads)
        rows.append(("judge's sheet save (POST)", figures, figures["rps"] / baseline))

        lost = lost_updates(uri, acknowledged)
        print_table(rows, args, uri)
        print(f"\nsheet saves acknowledged: {len(acknowledged)}, lost updates: {lost}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
