"""Issue 13, findings 3 and 12, against the app as it is served: real app processes on
127.0.0.1 ports sharing the test database (SQLite file or PostgreSQL) and, where asked, Redis
database 1; and Debian's nginx, run as our own process with its ``proxy_cache`` in front.

- Two app processes answer the same medal table right after a change, whatever each had
  cached: the issue's 60 reads gave 36 medals 13 times and 42 medals 47 times after a published
  trade's demonstration flag was edited.
- nginx keeps public pages and the public API (a cache HIT on the second request) and never a
  logged-in page; that is the snippet the README's production guide shows (``NGINX_SNIPPET``).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis

from competition.models import Role
from competition.services import publishing, results, setup
from tests.app.support import PASSWORD, event_rule

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/1"

README = ROOT / "README.md"


def readme_snippet() -> str:
    """The nginx snippet of the README's production guide (its one ```nginx block), with its
    example cache folder, static folder and app address as placeholders; so the snippet people
    copy is the one tested here."""
    text = README.read_text(encoding="utf-8")
    found = re.search(r"```nginx\n(.*?)```", text, re.S)
    assert found, "the README's production guide has no nginx snippet"
    snippet = textwrap.dedent(found[1])
    for example, placeholder in (("/var/cache/nginx/competition", "{cache}"),
                                 ("/srv/competition/static", "{static}"),
                                 ("127.0.0.1:8000", "{app}")):
        assert example in snippet, f"the README's nginx snippet no longer names {example}"
        snippet = snippet.replace(example, placeholder)
    return snippet


NGINX_SNIPPET = readme_snippet()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port: int, path: str, headers: dict | None = None, method: str = "GET",
          form: dict | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = dict(headers or {})
    body = None
    if form is not None:
        body = urlencode(form)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


SERVE = textwrap.dedent("""
    import os, sys
    from werkzeug.serving import make_server
    from competition import create_app
    app = create_app({"SQLALCHEMY_DATABASE_URI": os.environ["APP_DATABASE"],
                      "SECRET_KEY": "served-test-secret-key-32-bytes!",
                      "REDIS_URL": os.environ.get("APP_REDIS", ""),
                      "RATELIMIT_STORAGE_URI": "memory://", "PROXY_COUNT": 1,
                      "PASSWORD_METHOD": "pbkdf2:sha256:1000"})
    server = make_server("127.0.0.1", int(os.environ["APP_PORT"]), app, threaded=True)
    print("ready", flush=True)
    server.serve_forever()
""")


class Servers:
    """App processes (and nginx) started by a test, stopped when it ends."""

    def __init__(self, database_url: str, tmp_path: Path):
        self.database_url = database_url
        self.tmp_path = tmp_path
        self.processes: list[subprocess.Popen] = []

    def app(self, redis_url: str = "") -> int:
        port = free_port()
        env = {**os.environ, "APP_DATABASE": self.database_url, "APP_REDIS": redis_url,
               "APP_PORT": str(port), "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"}
        process = subprocess.Popen([sys.executable, "-c", SERVE], env=env, cwd=ROOT,
                                   stdout=subprocess.PIPE, text=True)
        self.processes.append(process)
        assert process.stdout.readline().strip() == "ready", "the app process did not start"
        self.wait(port, "/verify")
        return port

    def nginx(self, app_port: int) -> int:
        binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                           else None)
        if binary is None:
            pytest.skip("nginx is not installed (apt-get install -y nginx)")
        port = free_port()
        folder = self.tmp_path / "nginx"
        (folder / "cache").mkdir(parents=True)
        snippet = (NGINX_SNIPPET.replace("{cache}", str(folder / "cache"))
                   .replace("{static}", str(ROOT / "static")).replace("{app}", f"127.0.0.1:{app_port}"))
        http_part, server_part = snippet.split("# in the server { ... } of the site")
        user = "user root;" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(f"""
            {user}
            daemon off;
            worker_processes 1;
            pid {folder}/nginx.pid;
            error_log {folder}/error.log warn;
            events {{ worker_connections 64; }}
            http {{
                access_log off;
                client_body_temp_path {folder}/body;
                proxy_temp_path {folder}/proxy;
                fastcgi_temp_path {folder}/fastcgi;
                uwsgi_temp_path {folder}/uwsgi;
                scgi_temp_path {folder}/scgi;
                {http_part}
                server {{
                    listen 127.0.0.1:{port};
                    server_name localhost;
                    {server_part}
                }}
            }}
        """)
        process = subprocess.Popen([binary, "-p", str(folder), "-c", str(folder / "nginx.conf")],
                                   stderr=subprocess.PIPE)
        self.processes.append(process)
        self.wait(port, "/verify", process)
        return port

    def wait(self, port: int, path: str, process: subprocess.Popen | None = None) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if fetch(port, path)[0] == 200:
                    return
            except OSError:
                if process is not None and process.poll() is not None:
                    raise AssertionError(process.stderr.read().decode()) from None
                time.sleep(0.1)
        raise AssertionError(f"nothing answers on port {port}")

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            for stream in (process.stdout, process.stderr):
                if stream:
                    stream.close()


@pytest.fixture
def servers(database_url, tmp_path):
    found = Servers(database_url, tmp_path)
    yield found
    found.stop()


@pytest.fixture
def event_with_two_trades(scored_trade, make_event, make_delegation, make_user):
    """X wins trade A; Y wins gold and silver in trade B; both published. An organizer."""
    event = make_event(code="SRV1")
    event_rule(event, method="places", labels="medals")
    x, y = make_delegation(event, code="X"), make_delegation(event, code="Y")
    organizer = make_user(Role.ORGANIZER, event, username="served_organizer")
    a = scored_trade([90, 80], event=event, delegations=[x, y], code="TA")
    b = scored_trade([90, 80], event=event, delegations=[y, y], code="TB")
    c = scored_trade([95, 70], event=event, delegations=[x, y], code="TC")
    for s in (a, b):
        publishing.publish(s.trade, organizer)
    return event, a.trade, b.trade, c.trade, organizer


def medal_rows(port: int, code: str) -> list[tuple]:
    status, headers, body = fetch(port, f"/api/v1/events/{code}/medal-table")
    assert status == 200
    return [(r["delegation"]["code"], r["gold"], r["silver"]) for r in json.loads(body)["rows"]]


def redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.parametrize("cache", ["per process", "redis"])
def test_two_app_processes_answer_the_same_medal_table_right_after_a_change(
        servers, event_with_two_trades, cache):
    if cache == "redis" and not redis_up():
        pytest.skip("no Redis at 127.0.0.1:6379 (CI starts one)")
    event, _a, b, c, organizer = event_with_two_trades
    first, second = (servers.app(REDIS_URL if cache == "redis" else "") for _ in range(2))
    published = [("Y", 1, 2), ("X", 1, 0)]
    assert medal_rows(first, event.code) == published          # the first process has it cached

    # The change: a published trade becomes a demonstration trade in its set-up.
    setup.save_trade(event, b, {"code": b.code, "name_zh": b.name_zh, "name_en": b.name_en,
                                "is_demonstration": True, "entry_type": b.entry_type,
                                "team_size": b.team_size})
    assert medal_rows(second, event.code) == medal_rows(first, event.code) == published

    # The amendment publishes it: both answer the new table at once, the first one included.
    publishing.amend(b, organizer, "TB is a demonstration trade")
    amended = [("X", 1, 0), ("Y", 0, 1)]
    assert medal_rows(first, event.code) == medal_rows(second, event.code) == amended
    publishing.publish(c, organizer)
    assert medal_rows(second, event.code) == medal_rows(first, event.code) == [
        ("X", 2, 0), ("Y", 0, 2)]
    expected = [(r.code, r.gold, r.silver) for r in results.public_medal_table(event)]
    assert medal_rows(first, event.code) == expected


def test_nginx_keeps_public_pages_and_never_a_logged_in_one(servers, event_with_two_trades):
    event, a, _b, _c, organizer = event_with_two_trades
    proxy = servers.nginx(servers.app())
    en = {"Accept-Language": "en"}
    for path in (f"/events/{event.code}/medals", f"/api/v1/events/{event.code}/medal-table",
                 f"/events/{event.code}/trades/{a.code}"):
        statuses = []
        for _ in range(3):
            status, headers, body = fetch(proxy, path, en)
            assert status == 200 and headers.get("Set-Cookie") is None, path
            statuses.append(headers["X-Cache-Status"])
        assert statuses[0] in ("MISS", "EXPIRED") and statuses[1:] == ["HIT", "HIT"], \
            (path, statuses)
        # revalidation through the cache: 304 without a body
        status, _headers, body = fetch(proxy, path, {**en, "If-None-Match": headers["ETag"]})
        assert status == 304 and body == b""
    # another language is another copy
    status, headers, body = fetch(proxy, f"/events/{event.code}/medals", {"Accept-Language": "zh"})
    assert headers["X-Cache-Status"] == "MISS" and "奖牌榜".encode() in body

    # logging in through the proxy: the login page and every page after it are never cached
    _status, headers, page = fetch(proxy, "/auth/login", en)
    assert headers["X-Cache-Status"] != "HIT"
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)[1].decode()
    status, headers, _ = fetch(proxy, "/auth/login", {**en, "Cookie": cookie}, "POST",
                               {"csrf_token": token, "username": organizer.username,
                                "password": PASSWORD})
    assert status == 302, "login through the proxy failed"
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    for path in (f"/events/{event.code}/medals", f"/manage/events/{event.code}/results"):
        for _ in range(2):
            status, headers, body = fetch(proxy, path, {**en, "Cookie": cookie})
            assert status == 200 and headers["X-Cache-Status"] in ("BYPASS", "MISS"), path
            assert "public" not in headers.get("Cache-Control", ""), path
            assert b"Log out" in body
    status, headers, body = fetch(proxy, f"/events/{event.code}/medals", en)
    assert headers["X-Cache-Status"] == "HIT" and b"Log out" not in body

    # static files straight from nginx, kept for a year under their versioned URL
    css = re.search(rb'href="(/static/css/app\.css\?v=\w+)"', body)[1].decode()
    status, headers, _ = fetch(proxy, css)
    assert status == 200 and "immutable" in headers["Cache-Control"]
