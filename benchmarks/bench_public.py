"""Public results under concurrent load at the seed's size, beside a trivial route of the same app.

    .venv/bin/python benchmarks/bench_public.py [--requests 1500] [--threads 8] [--workers N]

Builds the seed demo (70 trades, 19 delegations, 2,221 contestants) in a temporary SQLite file,
gives it demo marks, signs every trade off and publishes them all (timed), then serves the app
with gunicorn on 127.0.0.1 (sync workers) and sends a fixed number of GET requests per route from a
pool of threads, each request on its own connection (http.client). Every route is measured the
same way, after a warm-up; the trivial route returns "ok" from a view that does nothing else.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from competition import create_app  # noqa: E402
from competition.extensions import db  # noqa: E402
from competition.models import Event, Trade, TradeStatus  # noqa: E402
from competition.services import demo, publishing  # noqa: E402

EVENT = "HN2026"
SECRET = "a-benchmark-secret-key-of-at-least-32-bytes"


def served_app():
    """The app as gunicorn serves it here: the real app plus one trivial route."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URI"],
                      "SECRET_KEY": SECRET})
    app.add_url_rule("/bench/trivial", "bench_trivial", lambda: "ok")
    return app


def build(uri: str) -> list[tuple[str, str]]:
    """The seed demo with marks, every trade signed off and published; returns set-up figures."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": SECRET})
    figures = []
    with app.app_context():
        db.create_all()
        start = time.perf_counter()
        demo.build("seed", run=False)
        event = db.session.scalar(sa.select(Event).where(Event.code == EVENT))
        marks = demo.add_scores(event, random.Random(1))
        db.session.commit()
        figures.append(("seed demo + marks", f"{time.perf_counter() - start:.1f} s",
                        f"{marks:,} marks"))
        db.session.execute(sa.update(Trade).where(Trade.event_id == event.id)
                           .values(status=TradeStatus.SIGNED_OFF))
        db.session.commit()
        start = time.perf_counter()
        outcome = publishing.publish_all(event, None)
        elapsed = time.perf_counter() - start
        each = elapsed / max(len(outcome.published), 1) * 1000
        figures.append(("compute + publish all trades", f"{elapsed:.2f} s",
                        f"{len(outcome.published)} trades, {each:.0f} ms each"))
    return figures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            status, _ = get(port, "/bench/trivial")
            if status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def load(port: int, path: str, requests: int, threads: int, headers: dict | None = None,
         expect: int = 200) -> dict:
    """``requests`` GETs of ``path`` from ``threads`` threads: rate, latencies, failures."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()

    def one(_):
        nonlocal failures
        start = time.perf_counter()
        status, _body = get(port, path, headers)
        took = time.perf_counter() - start
        with lock:
            latencies.append(took)
            if status != expect:
                failures += 1

    with ThreadPoolExecutor(threads) as pool:       # warm-up: every worker fills its cache
        list(pool.map(one, range(threads * 4)))
    latencies.clear()
    failures = 0
    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {"rps": requests / elapsed, "p50": statistics.median(latencies) * 1000,
            "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000, "failures": failures}


def table(rows: list[tuple], headers: tuple) -> str:
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(headers, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                        for i, (c, w) in enumerate(zip(r, widths))) for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1500, help="requests per route")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1,
                        help="gunicorn sync workers")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="bench-public-")
    uri = f"sqlite:///{folder}/bench.sqlite"
    print(f"Building the seed demo in {folder} …", flush=True)
    setup = build(uri)
    print(table(setup, ("set-up", "time", "")))

    with create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": SECRET}).app_context():
        trade = db.session.scalar(sa.select(Trade.code).where(
            Trade.is_demonstration.is_(False), Trade.entry_type == "individual").order_by(Trade.code))

    port = free_port()
    env = {**os.environ, "BENCH_DATABASE_URI": uri, "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(args.workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--chdir", str(ROOT),
         "--pythonpath", str(ROOT / "benchmarks"), "bench_public:served_app()"], env=env)
    try:
        wait_until_up(port)
        _, medal_page = get(port, f"/events/{EVENT}/medals")
        connection = http.client.HTTPConnection("127.0.0.1", port)
        connection.request("GET", f"/api/v1/events/{EVENT}/medal-table")
        response = connection.getresponse()
        response.read()
        etag = response.getheader("ETag")
        connection.close()

        routes = [
            ("trivial route (baseline)", "/bench/trivial", None, 200),
            ("medal table page", f"/events/{EVENT}/medals", None, 200),
            ("medal table API", f"/api/v1/events/{EVENT}/medal-table", None, 200),
            ("medal table API, ETag revalidated", f"/api/v1/events/{EVENT}/medal-table",
             {"If-None-Match": etag}, 304),
            (f"trade results page ({trade})", f"/events/{EVENT}/trades/{trade}", None, 200),
            (f"trade results API ({trade})", f"/api/v1/events/{EVENT}/trades/{trade}/results",
             None, 200),
            ("event home page", f"/events/{EVENT}/", None, 200),
            ("live board JSON", f"/api/v1/events/{EVENT}/board", None, 200),
        ]
        rows = []
        baseline = None
        for label, path, headers, expect in routes:
            figures = load(port, path, args.requests, args.threads, headers, expect)
            baseline = baseline or figures["rps"]
            rows.append((label, f"{figures['rps']:.0f}", f"{figures['rps'] / baseline:.2f}",
                         f"{figures['p50']:.1f}", f"{figures['p95']:.1f}", figures["failures"]))
        print()
        print(f"{args.requests} requests per route, {args.threads} client threads, gunicorn "
              f"{args.workers} sync workers, {os.cpu_count()} CPUs, SQLite; medal table page "
              f"{len(medal_page):,} bytes")
        print(table(rows, ("route", "req/s", "× trivial", "p50 ms", "p95 ms", "failures")))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
