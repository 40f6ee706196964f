"""Load at the seed's size on two app servers: public pages, the live board, judges' sheet saves,
and whether every reply after a publication carried it.

    .venv/bin/python benchmarks/bench_load.py [--requests 1200] [--threads 8] [--workers N]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres | --database-url URL]
        [--redis-url redis://127.0.0.1:6379/1]

Builds the seed demo (70 trades, 2,221 contestants, every mark, all trades published but two
still open for scoring) in a temporary database made on the PostgreSQL server given with
--postgres (dropped afterwards), or in an EMPTY database given with --database-url, and serves
the real app with two separate gunicorn processes on two 127.0.0.1 ports — as two hosts would —
sharing that database and one Redis (login limits and the shared cache of public results).
Requests alternate between the two servers; a bounded number per route is sent from a pool of
client threads (one connection per request, http.client). Each route is printed beside a trivial
route of the same app under the same servers: requests per second, latency percentiles, and 5xx
answers. The sheet saves are real: each client thread is a judge of an open trade, logged in
through the login form (CSRF included) on one server and saving on both, changing one mark per
request with the version its sheet showed; afterwards every acknowledged save is read back
from the judges' sheets, which gives the count of lost updates.

Then a publication under load: client threads keep reading a trade's results and the medal table
from both servers while an organizer publishes an amendment of that trade (its winner withdrawn,
so the medal table changes too). Every reply to a request sent after the amendment committed must
carry it — the new version of the trade and the new medal table — from either server, whatever
its workers had cached; the benchmark prints how many did, and fails if any did not.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from competition import create_app  # noqa: E402
from competition.extensions import db  # noqa: E402
from competition.models import (  # noqa: E402
    Entrant,
    EntrantStatus,
    Event,
    JudgeAssignment,
    Position,
    ResultLine,
    ResultVersion,
    Trade,
    TradeStatus,
    User,
)
from competition.services import demo, publishing, results  # noqa: E402

EVENT = "HN2026"
SECRET = "a-benchmark-secret-key-of-at-least-32-bytes"


def settings(uri: str, redis_url: str) -> dict:
    """The app's configuration here: production's, on the benchmark's database and Redis."""
    return {"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": SECRET, "REDIS_URL": redis_url,
            "RATELIMIT_ENABLED": False}


def served_app():
    """What gunicorn serves: the real app (production config) plus one trivial route."""
    app = create_app(settings(os.environ["BENCH_DATABASE_URI"], os.environ["BENCH_REDIS_URL"]))
    app.add_url_rule("/bench/trivial", "bench_trivial", lambda: "ok")
    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One browser: a cookie jar over fresh http.client connections, each request to the next
    of the servers in turn (sessions are signed cookies: any server serves any browser)."""

    def __init__(self, ports: list[int]):
        self.ports = ports
        self.turn = itertools.count()
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None,
                headers: dict | None = None, port: int | None = None) -> tuple[int, bytes]:
        port = port or self.ports[next(self.turn) % len(self.ports)]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
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
    port = client.ports[0]
    _, page = client.request("GET", "/auth/login", port=port)
    status, _ = client.request("POST", "/auth/login", {"csrf_token": token(page),
                                                       "username": username, "password": password},
                               port=port)
    if status != 302:
        raise SystemExit(f"login of {username} failed ({status})")


def measure(calls, threads: int) -> dict:
    """Run the zero-argument callables from a pool; rate, percentiles and 5xx count."""
    latencies: list[float] = []
    errors = 0
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def one(call):
        nonlocal errors
        start = time.perf_counter()
        status = call()
        took = time.perf_counter() - start
        with lock:
            latencies.append(took)
            errors += status >= 500
            statuses[status] += 1

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, calls))
    elapsed = time.perf_counter() - start
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000,
            "p95": pct(0.95), "p99": pct(0.99), "5xx": errors, "n": len(latencies),
            "statuses": statuses}


def build(uri: str) -> tuple[str, list[dict]]:
    """The seed demo; returns the judges' password and, per judge of an open trade, the trade
    and the judge's username."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": SECRET})
    with app.app_context():
        db.create_all()
        if db.session.scalar(sa.select(sa.func.count(Event.id))):
            raise SystemExit("The database must be empty.")
        start = time.perf_counter()
        logins = demo.build("seed")
        print(f"seed demo with every mark built in {time.perf_counter() - start:.1f} s", flush=True)
        password = next(v for k, v in logins.items() if "…" in k)
        plans = [{"trade": trade_id, "judge": username} for trade_id, username in db.session.execute(
            sa.select(Trade.id, User.username).join(JudgeAssignment, JudgeAssignment.trade_id == Trade.id)
            .join(User, User.id == JudgeAssignment.user_id)
            .where(Trade.status == TradeStatus.OPEN, JudgeAssignment.position == Position.JUDGE)
            .order_by(Trade.id, User.id))]
        db.engine.dispose()
        return password, plans


CELL = re.compile(rb'<input class="mark"[^>]*?name="m-([^"]+)" value="([^"]*)"[^>]*?'
                  rb'data-max="([^"]+)"(?![^>]*disabled)[^>]*>\s*'
                  rb'<input type="hidden" name="v-\1" value="([^"]*)">\s*'
                  rb'<input type="hidden" name="o-\1" value="([^"]*)">')


def sheet_cells(page: bytes) -> list[tuple[str, str, str, str, str]]:
    """The writable cells of a judge's sheet as the page gives them: (field key, value shown,
    highest mark, version, original value)."""
    return [tuple(part.decode() for part in found) for found in CELL.findall(page)]


def new_value(value: str, top: str) -> str:
    return top if not value or Decimal(value) != Decimal(top) else "0"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1200, help="requests per GET route")
    parser.add_argument("--threads", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1,
                        help="gunicorn sync workers per server")
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server to make the temporary database on")
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database to use instead")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL",
                                                              "redis://127.0.0.1:6379/1"))
    parser.add_argument("--freshness-seconds", type=float, default=4.0,
                        help="how long the replies after the publication are checked")
    return parser.parse_args()


def psycopg_url(url: str) -> str:
    return "postgresql+psycopg://" + url.split("://", 1)[1] if url.startswith("postgres") else url


class TemporaryDatabase:
    """An empty PostgreSQL database made for the run on ``server`` and dropped after it."""

    def __init__(self, server: str):
        self.engine = sa.create_engine(psycopg_url(server), isolation_level="AUTOCOMMIT")
        self.name = f"bench_load_{os.getpid()}_{int(time.time())}"
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
        except sa.exc.OperationalError as error:
            raise SystemExit(f"bench_load needs PostgreSQL ({server}): {error}") from None
        self.url = sa.engine.make_url(psycopg_url(server)).set(database=self.name) \
            .render_as_string(hide_password=False)

    def drop(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.engine.dispose()


def check_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        raise SystemExit(f"bench_load needs Redis ({url}): {error}") from None


def wait_for_server(port: int) -> None:
    """Poll the trivial route until gunicorn answers, for up to a minute."""
    deadline = time.time() + 60
    while True:
        try:
            if Client([port]).request("GET", "/bench/trivial")[0] == 200:
                return
        except OSError:
            pass
        if time.time() > deadline:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)


def measure_routes(ports: list[int], args: argparse.Namespace,
                   trade_code: str) -> tuple[list[tuple], float]:
    """The GET routes' figures, each with its ratio to the trivial route; and that route's rate."""
    def getter(path):
        return lambda: Client(ports).request("GET", path)[0]

    def alternating(path, n):
        return [(lambda port=port: Client([port]).request("GET", path)[0])
                for port in itertools.islice(itertools.cycle(ports), n)]

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
        measure(alternating(path, args.threads * 4 * len(ports)), args.threads)  # warm workers
        figures = measure(alternating(path, args.requests), args.threads)
        baseline = baseline or figures["rps"]
        rows.append((label, figures, figures["rps"] / baseline))
    return rows, baseline


def sheet_saves(ports: list[int], plans: list[dict], password: str,
                acknowledged: list[tuple[Client, int, str, str]]) -> list:
    """One zero-argument call per cell of each judge's sheet, the judges interleaved; each
    logged-in client changes one mark per request (on either server), with the version its sheet
    showed, and records the saves acknowledged."""
    lock = threading.Lock()
    calls = []
    for plan in plans:
        client = Client(ports)
        log_in(client, plan["judge"], password)
        _, page = client.request("GET", f"/judge/trades/{plan['trade']}/sheet")
        csrf = token(page)
        for key, value, top, version, original in sheet_cells(page):
            def save(client=client, plan=plan, key=key, value=value, top=top, version=version,
                     original=original, csrf=csrf):
                text = new_value(value, top)
                status, _ = client.request("POST", f"/judge/trades/{plan['trade']}/sheet", {
                    "csrf_token": csrf, f"m-{key}": text, f"v-{key}": version,
                    f"o-{key}": original, "reason": ""})
                if status == 302:
                    with lock:
                        acknowledged.append((client, plan["trade"], key, text))
                return status
            calls.append(save)
    # interleave the judges so that they really save at the same time
    return [c for group in zip(*[calls[i::len(plans)] for i in range(len(plans))]) for c in group]


def lost_updates(acknowledged: list[tuple[Client, int, str, str]]) -> int:
    """How many acknowledged saves the judges' sheets no longer show (read back through the app,
    from the database)."""
    shown: dict[tuple[int, int], dict[str, str]] = {}
    lost = 0
    for client, trade, key, text in acknowledged:
        if (id(client), trade) not in shown:
            _, page = client.request("GET", f"/judge/trades/{trade}/sheet")
            shown[(id(client), trade)] = {k: v for k, v, *_ in sheet_cells(page)}
        value = shown[(id(client), trade)].get(key)
        lost += value is None or Decimal(value or "0") != Decimal(text)
    return lost


def medal_rows(data: dict) -> list[tuple]:
    return [(r["delegation"]["code"], r["gold"], r["silver"], r["bronze"], r["excellence"])
            for r in data["rows"]]


def freshness(ports: list[int], args: argparse.Namespace, uri: str, trade_code: str) -> dict:
    """Readers on both servers while the trade is amended (its winner withdrawn): every reply to
    a request sent after the amendment committed must carry the new version."""
    paths = {"trade": f"/api/v1/events/{EVENT}/trades/{trade_code}/results",
             "medals": f"/api/v1/events/{EVENT}/medal-table"}
    replies: list[tuple[float, int, str, object]] = []  # (sent, port, route, what it carried)
    lock = threading.Lock()
    stop = threading.Event()

    def reader(n: int) -> None:
        for i in itertools.count(n):
            if stop.is_set():
                return
            port, route = ports[i % len(ports)], ("trade", "medals")[(i // len(ports)) % 2]
            sent = time.monotonic()
            status, body = Client([port]).request("GET", paths[route])
            data = json.loads(body) if status == 200 else None
            carried = (data["version"] if route == "trade" else medal_rows(data)) if data \
                else status
            with lock:
                replies.append((sent, port, route, carried))

    app = create_app(settings(uri, args.redis_url))
    with app.app_context():
        event = db.session.scalar(sa.select(Event).where(Event.code == EVENT))
        trade = db.session.scalar(sa.select(Trade).where(Trade.event_id == event.id,
                                                         Trade.code == trade_code))
        before = len(results.versions(trade))
        published_medals = [(r.code, r.gold, r.silver, r.bronze, r.excellence)
                            for r in results.public_medal_table(event)]
        winner = db.session.scalar(
            sa.select(ResultLine.entrant_id).join(ResultVersion)
            .where(ResultVersion.trade_id == trade.id, ResultVersion.number == before,
                   ResultLine.place == 1))
        threads = [threading.Thread(target=reader, args=(n,)) for n in range(args.threads)]
        for thread in threads:
            thread.start()
        time.sleep(args.freshness_seconds / 2)
        db.session.get(Entrant, winner).status = EntrantStatus.WITHDRAWN
        db.session.commit()
        version = publishing.amend(trade, None, "bench: the winner withdrew")
        committed = time.monotonic()
        db.session.expire_all()
        expected_medals = [(r.code, r.gold, r.silver, r.bronze, r.excellence)
                           for r in results.public_medal_table(event)]
        number = version.number
        time.sleep(args.freshness_seconds / 2)
        stop.set()
        for thread in threads:
            thread.join()
        db.engine.dispose()
    after = [r for r in replies if r[0] > committed]
    stale = [r for r in after if r[3] != (number if r[2] == "trade" else expected_medals)]
    return {"before": len(replies) - len(after), "after": len(after), "stale": len(stale),
            "per_server": {port: sum(1 for r in after if r[1] == port) for port in ports},
            "version": number, "changed": expected_medals != published_medals}


def print_table(rows: list[tuple], args: argparse.Namespace, uri: str, ports: list[int]) -> None:
    print()
    print(f"{len(ports)} app servers (separate gunicorn processes on ports "
          f"{', '.join(map(str, ports))}), {args.workers} sync workers each, one "
          f"{'PostgreSQL' if 'postgresql' in uri else 'SQLite'} database, one Redis; "
          f"{args.threads} client threads, {os.cpu_count()} CPUs; {args.requests} requests per "
          f"route, alternating between the servers")
    header = ("route", "req/s", "× trivial", "p50 ms", "p95 ms", "p99 ms", "5xx")
    lines = [(label, f"{f['rps']:.0f}", f"{ratio:.2f}", f"{f['p50']:.1f}", f"{f['p95']:.1f}",
              f"{f['p99']:.1f}", str(f["5xx"])) for label, f, ratio in rows]
    widths = [max(len(str(r[i])) for r in [header, *lines]) for i in range(len(header))]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    print("  ".join("-" * w for w in widths))
    for line in lines:
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                        for i, (c, w) in enumerate(zip(line, widths))))


def start_server(port: int, uri: str, redis_url: str, workers: int) -> subprocess.Popen:
    env = {**os.environ, "BENCH_DATABASE_URI": uri, "BENCH_REDIS_URL": redis_url,
           "LOG_LEVEL": "WARNING"}
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--chdir", str(ROOT),
         "--pythonpath", str(ROOT / "benchmarks"), "bench_load:served_app()"], env=env)


def main() -> int:
    args = parse_args()
    check_redis(args.redis_url)
    temporary = None if args.database_url else TemporaryDatabase(args.postgres)
    uri = psycopg_url(args.database_url) if args.database_url else temporary.url
    servers: list[subprocess.Popen] = []
    try:
        password, plans = build(uri)
        plans = plans[: args.threads]
        trade_code = "T07"
        ports = [free_port(), free_port()]
        servers = [start_server(port, uri, args.redis_url, args.workers) for port in ports]
        for port in ports:
            wait_for_server(port)
        rows, baseline = measure_routes(ports, args, trade_code)

        # judges' sheet saves: one logged-in client per judge, one changed mark per request
        acknowledged: list[tuple[Client, int, str, str]] = []
        calls = sheet_saves(ports, plans, password, acknowledged)
        figures = measure(calls[: args.requests], args.threads)
        rows.append(("judge's sheet save (POST)", figures, figures["rps"] / baseline))

        lost = lost_updates(acknowledged)
        fresh = freshness(ports, args, uri, trade_code)
        print_table(rows, args, uri, ports)
        answers = ", ".join(f"{n} × {status}" for status, n in sorted(figures["statuses"].items()))
        print(f"\nsheet saves acknowledged: {len(acknowledged)} (answers: {answers}), "
              f"lost updates: {lost}")
        per_server = ", ".join(f"{n} from :{port}" for port, n in fresh["per_server"].items())
        every = fresh["stale"] == 0 and fresh["after"] > 0
        print(f"publication under load (amendment of {trade_code} to version {fresh['version']}, "
              f"its winner withdrawn; medal table changed: {'yes' if fresh['changed'] else 'no'}): "
              f"{fresh['after']} replies to requests sent after it committed ({per_server}); "
              f"every one carried the new version: {'yes' if every else 'NO'} "
              f"(stale replies: {fresh['stale']}; {fresh['before']} replies before it)")
        return 0 if every and not lost else 1
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        if temporary is not None:
            temporary.drop()


if __name__ == "__main__":
    sys.exit(main())
