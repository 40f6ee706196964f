"""Login limits hold across worker processes: four separate Python processes, each with its own
app on the test database (and, in the second case, one Redis), guess the same account's password
at the same moment. Counted per process (as Flask-Limiter's memory storage did), each would
allow its own five attempts; shared, all of them together get five."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from competition import create_app
from competition.extensions import db
from competition.models import Role
from tests.app.support import PASSWORD, app_settings

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/2"
PROCESSES, TRIES = 4, 5
SETTINGS = {"WTF_CSRF_ENABLED": False, "LOGIN_LIMITS": True, "LOGIN_FIRST_WAIT": 600}

WORKER = """
import json, sys, time
from competition import create_app
from competition.extensions import db
from tests.app.support import app_settings

url, redis_url, username, tries, start, settings = sys.argv[1:7]
app = create_app(app_settings(url, REDIS_URL=redis_url, **json.loads(settings)))
client = app.test_client()
with app.app_context():
    db.engine.connect().close()  # connected before the start, like a running worker
time.sleep(max(0.0, float(start) - time.time()))
codes = [client.post("/auth/login", data={"username": username, "password": "a guess"}).status_code
         for _ in range(int(tries))]
print(json.dumps(codes))
"""


@pytest.fixture(params=["database", "redis"])
def redis_url(request) -> str:
    """Counted in the database, or in Redis (database 2 is this suite's; the account's name is
    new, so no earlier run's count is in the way)."""
    return "" if request.param == "database" else REDIS_URL


def test_four_processes_together_get_five_attempts(database_url, redis_url, make_event,
                                                   make_user):
    user = make_user(Role.JUDGE, make_event(), username=f"p-{uuid.uuid4().hex[:12]}")
    start = time.time() + 6
    workers = [subprocess.Popen(
        [sys.executable, "-c", WORKER, database_url, redis_url, user.username, str(TRIES),
         str(start), json.dumps(SETTINGS)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(PROCESSES)]
    codes = []
    for worker in workers:
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err[-2000:]
        codes += json.loads(out.strip().splitlines()[-1])
    assert len(codes) == PROCESSES * TRIES
    assert codes.count(401) == 5, codes  # checked: the five free attempts, whoever made them
    assert codes.count(429) == PROCESSES * TRIES - 5, codes

    # a fifth process (this one) sees the same wait, even with the right password
    app = create_app(app_settings(database_url, REDIS_URL=redis_url, **SETTINGS))
    try:
        response = app.test_client().post("/auth/login", data={"username": user.username,
                                                               "password": PASSWORD})
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 500
    finally:
        with app.app_context():
            db.engine.dispose()
