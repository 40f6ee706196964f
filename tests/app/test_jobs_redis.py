"""With REDIS_URL set, jobs run on the queue in worker processes apart from the web workers: a
job enqueued by this app process is run by a separate ``flask --app competition worker``, and a
worker killed in the middle of a job leaves nothing half done: the job's lease runs out, it is
failed, and a retry is run by the next worker."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from rq import Queue

from competition.config import ROOT
from competition.extensions import db
from competition.models import Role, User
from competition.models.jobs import Job, JobStatus
from competition.services import certificates, jobs
from tests.app.support import JUDGE_HEADERS, page_text, pdf_pages, post_file, workbook

REDIS_URL = "redis://127.0.0.1:6379/3"


def redis_up() -> bool:
    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1) as connection:
            return bool(connection.ping())
    except redis.RedisError:
        return False


@pytest.fixture
def queue(app, monkeypatch, tmp_path):
    """This app process on Redis, with a queue of its own and a key a production app accepts."""
    if not redis_up():
        pytest.skip("no Redis at 127.0.0.1:6379 (CI starts one)")
    name = f"test-jobs-{uuid.uuid4().hex[:10]}"
    for key, value in {"REDIS_URL": REDIS_URL, "JOB_QUEUE": name, "EXPORT_JOBS_SYNC": False,
                       "EXPORTS_DIR": str(tmp_path / "exports"),
                       "SECRET_KEY": secrets.token_hex(32)}.items():
        monkeypatch.setitem(app.config, key, value)
    yield name
    with redis.Redis.from_url(REDIS_URL) as connection:
        Queue(name, connection=connection).delete(delete_jobs=True)
        stale = [key for key in connection.scan_iter("rq:*") if name.encode() in key]
        stale += [key for key in connection.scan_iter("rq:job:job-*")
                  if connection.hget(key, "origin") == name.encode()]
        if stale:
            connection.delete(*stale)


def start_worker(app, database_url: str, queue: str, log: Path, burst: bool = True) -> subprocess.Popen:
    """``flask --app competition worker`` in a process of its own, on this test's database."""
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL,
           "SECRET_KEY": app.config["SECRET_KEY"], "EXPORTS_DIR": app.config["EXPORTS_DIR"],
           "LOG_LEVEL": "WARNING"}
    env.pop("TEST_DATABASE_URL", None)
    command = [sys.executable, "-m", "flask", "--app", "competition", "worker", "--queue", queue]
    with log.open("ab") as output:
        return subprocess.Popen(command + (["--burst"] if burst else []), cwd=ROOT, env=env,
                                stdout=output, stderr=subprocess.STDOUT, start_new_session=True)


def fresh(job_id: int) -> Job:
    db.session.rollback()
    return db.session.get(Job, job_id, populate_existing=True)


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


def children(pid: int) -> list[int]:
    """The processes ``pid`` forked (RQ's work horse runs each job in one)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_a_job_enqueued_here_is_run_by_a_separate_worker_process(app, competition, database_url,
                                                                 queue, tmp_path):
    certificates.issue(competition.event)
    job = certificates.start_job(competition.event, competition.organizer, kind="award",
                                 base_url="https://verify.example.org")
    assert fresh(job.id).status == JobStatus.QUEUED and fresh(job.id).heartbeat_at is None
    assert jobs.expire_lapsed() == 0, "waiting for a worker is not dying"
    assert jobs.workers_listening() == 0
    log = tmp_path / "worker.log"
    worker = start_worker(app, database_url, queue, log)
    assert worker.wait(timeout=240) == 0, log.read_text()
    done = fresh(job.id)
    assert done.status == JobStatus.DONE, (done.status, done.error, log.read_text())
    assert done.attempts == 1 and done.done == done.total == 7
    assert len(pdf_pages((Path(app.config["EXPORTS_DIR"]) / done.file_name).read_bytes())) == 7


def test_a_worker_killed_during_a_job_leaves_it_failed_then_retried(app, make_event,
                                                                   make_delegation, make_trade,
                                                                   make_user, database_url,
                                                                   queue, tmp_path, client,
                                                                   login, monkeypatch):
    """A judge import on the queue: the worker (and its work horse) die while the passwords are
    being hashed. No account is written; once the lease runs out the job is failed; Retry puts
    it on the queue again and the next worker imports every account."""
    event = make_event("HN2026")
    delegation = make_delegation(event)
    trade = make_trade(event, code="W01")
    organizer = make_user(Role.ORGANIZER, event)
    rows = [[f"裁判{i:03d}", "", delegation.name_zh, trade.code, "裁判员"] for i in range(40)]
    login(organizer)
    client.post("/language", data={"lang": "en"})
    response = post_file(client, "/manage/events/HN2026/import/judges",
                         workbook(("裁判", [JUDGE_HEADERS, *rows])), "judges.xlsx")
    assert response.status_code == 302
    job_id = db.session.scalar(sa.select(Job.id))
    log = tmp_path / "worker.log"
    worker = start_worker(app, database_url, queue, log, burst=False)
    try:
        wait_for(lambda: fresh(job_id).status == JobStatus.RUNNING and children(worker.pid), 120,
                 "the worker to take the job")
        for pid in [*children(worker.pid), worker.pid]:
            os.kill(pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(timeout=30)
    assert fresh(job_id).status == JobStatus.RUNNING  # nobody has noticed yet
    monkeypatch.setitem(app.config, "JOB_LEASE_SECONDS", 2)
    time.sleep(2.5)
    page = page_text(client.get(response.headers["Location"]))
    assert "Failed" in page and "stopped before it finished" in page and "Retry" in page
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.role == Role.JUDGE)) == 0

    monkeypatch.setitem(app.config, "JOB_LEASE_SECONDS", 600)
    assert client.post(f"{response.headers['Location']}/retry").status_code == 302
    assert fresh(job_id).status == JobStatus.QUEUED
    again = start_worker(app, database_url, queue, log)
    assert again.wait(timeout=600) == 0, log.read_text()
    job = fresh(job_id)
    assert job.status == JobStatus.DONE, (job.error, log.read_text())
    assert job.attempts == 2
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.role == Role.JUDGE)) == 40
    assert "Show the initial passwords" in page_text(client.get(response.headers["Location"]))
