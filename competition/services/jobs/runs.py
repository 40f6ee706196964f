"""Starting and running jobs: the lease, the runs and where a job is handed to (this
process, a thread of it, or the Redis queue). See the package docstring."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from redis import Redis, RedisError
from rq import Queue

from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.models import Event, User
from competition.models.base import utcnow
from competition.models.jobs import Job, JobKind, JobStatus
from competition.services.errors import committing

log = logging.getLogger("competition.jobs")

_BULK = {"synchronize_session": False}  # jobs are read back with populate_existing

LEASE_SECONDS = 60
HEARTBEAT_SECONDS = 10
PROGRESS_SECONDS = 0.5  # how often a running job writes its progress
TIMEOUT_SECONDS = 3600  # a queued job's run is stopped by its worker after this long
KEEP_HOURS = 24  # a finished job's sealed secret and uploaded file are dropped after this
QUEUE = "competition"
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)

MSG_LEASE = N_("The process running this job stopped before it finished (nothing was heard from "
               "it for %(seconds)s seconds); nothing it did was kept. Retry it.")
MSG_QUEUE_DOWN = N_("The job queue (Redis) cannot be reached, so the job was not started. Retry "
                    "it in a moment.")
MSG_NOT_FAILED = N_("Only a job that failed can be retried.")
MSG_INPUT_GONE = N_("This job's file is no longer kept: start it again from its page.")


class JobLost(Exception):
    """This run lost its lease: the job was failed meanwhile, or another run took it."""


def _config(name: str, default):
    return current_app.config.get(name) or default


def lease_seconds() -> int:
    return float(_config("JOB_LEASE_SECONDS", LEASE_SECONDS))



# --- starting and running -----------------------------------------------------------------

Handler = Callable[[Job, "Run"], "dict[str, Any] | None"]
HANDLERS: dict[JobKind, Handler] = {}


def handler(kind: JobKind) -> Callable[[Handler], Handler]:
    """Register the function that does the work of jobs of ``kind``."""
    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function
    return register


def start(event: Event, user: User | None, kind: JobKind, *, params: dict, total: int = 0,
          download_name: str = "", payload: bytes | None = None) -> Job:
    """Record a queued job and hand it to whatever runs jobs here (see the module docstring)."""
    with committing():
        job = Job(event_id=event.id, created_by_id=user.id if user else None, kind=kind,
                  params=params, status=JobStatus.QUEUED, total=total, done=0,
                  download_name=download_name, payload=payload, result={})
        db.session.add(job)
    dispatch(job)
    return job


def dispatch(job: Job, here: bool = False) -> None:
    """Run the queued ``job``: at once (``here``, or EXPORT_JOBS_SYNC), on the Redis queue, or in
    a thread of this process that holds its lease from now on."""
    job_id = job.id
    if here or current_app.config.get("EXPORT_JOBS_SYNC"):
        perform(job_id)
    elif current_app.config.get("REDIS_URL"):
        _enqueue(job_id)
    else:
        _write(job_id, None, heartbeat_at=utcnow())
        threading.Thread(target=_run_in_thread, name=f"job-{job_id}", daemon=True,
                         args=(current_app._get_current_object(), job_id)).start()
    db.session.expire(job)


def _run_in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            perform(job_id)
        finally:
            db.session.remove()


@dataclass
class Run:
    """One run of a job: its attempt, and whether it still holds the lease."""

    job_id: int
    attempt: int
    lost: threading.Event = field(default_factory=threading.Event)
    finished: bool = False
    _last: float = 0.0

    def progress(self, done: int, total: int | None = None) -> None:
        """Record how far the job got (at most every half second); raises JobLost once the
        lease is gone."""
        if self.lost.is_set():
            raise JobLost(self.job_id)
        now = time.monotonic()
        if now - self._last < PROGRESS_SECONDS and (total is None or done < total):
            return
        self._last = now
        values = {"done": done} if total is None else {"done": done, "total": total}
        if _write(self.job_id, self.attempt, **values) == 0:
            self.lost.set()
            raise JobLost(self.job_id)

    def finish(self, status: JobStatus = JobStatus.DONE, **values) -> None:
        """Mark the job ``status`` in the caller's transaction (committed with the job's own
        work); raises JobLost, so that the transaction rolls back, when the lease is gone."""
        changed = db.session.execute(
            sa.update(Job).where(*_held(self.job_id, self.attempt))
            .values(status=status, finished_at=utcnow(), **values).execution_options(**_BULK)
        ).rowcount
        if changed != 1:
            raise JobLost(self.job_id)
        self.finished = True


def _held(job_id: int, attempt: int | None) -> tuple:
    """The condition under which a run may still write to its job."""
    if attempt is None:
        return (Job.id == job_id,)
    return Job.id == job_id, Job.attempts == attempt, Job.status == JobStatus.RUNNING


def _write(job_id: int, attempt: int | None, **values) -> int:
    """Write ``values`` to the job on a connection of its own, so that a job's pending work in
    the session is never committed by its progress; the rows changed (0: the lease is gone)."""
    try:
        with db.engine.begin() as connection:
            return connection.execute(sa.update(Job).where(*_held(job_id, attempt))
                                      .values(**values)).rowcount
    except sa.exc.SQLAlchemyError:
        log.warning("could not record the state of job %s", job_id, exc_info=True)
        return -1


def perform(job_id: int) -> None:
    """Take a queued job, run its kind's handler with a heartbeat, and record the outcome; a
    failure is recorded on the job, never raised. A job that is not queued (taken by another
    run, done, failed) is left alone."""
    attempt = _claim(job_id)
    if attempt is None:
        return
    run = Run(job_id, attempt)
    beat = threading.Event()
    heart = threading.Thread(target=_heartbeat, name=f"job-{job_id}-heartbeat", daemon=True,
                             args=(current_app._get_current_object(), run, beat))
    heart.start()
    try:
        job = db.session.get(Job, job_id, populate_existing=True)
        values = HANDLERS[job.kind](job, run) or {}
        if not run.finished:
            with committing():
                run.finish(**values)
    except JobLost:
        db.session.rollback()
        log.warning("job %s lost its lease; its run %s stopped", job_id, attempt)
    except Exception as error:  # recorded for the page to show; a job must not die silently
        db.session.rollback()
        log.exception("job %s failed", job_id)
        _fail(job_id, attempt, error)
    finally:
        beat.set()
        heart.join(timeout=5)


def _claim(job_id: int) -> int | None:
    """Take the job if it is queued: running, under a new attempt, with a fresh lease."""
    now = utcnow()
    with committing():
        taken = db.session.execute(
            sa.update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, started_at=now,
                    heartbeat_at=now, done=0, error="", finished_at=None)
            .execution_options(**_BULK)).rowcount
        attempt = db.session.scalar(sa.select(Job.attempts).where(Job.id == job_id)) \
            if taken == 1 else None
    return attempt


def _heartbeat(app: Flask, run: Run, stop: threading.Event) -> None:
    """Renew the run's lease until ``stop``; a lease found gone marks the run lost."""
    interval = float(app.config.get("JOB_HEARTBEAT_SECONDS") or HEARTBEAT_SECONDS)
    with app.app_context():
        try:
            while not stop.wait(interval):
                if _write(run.job_id, run.attempt, heartbeat_at=utcnow()) == 0:
                    run.lost.set()
                    return
        finally:
            db.session.remove()


def problem_of(error: BaseException) -> Problem:
    """What to tell the organizer about ``error``: its Problem when it carries one."""
    problem = getattr(error, "problem", None)
    if problem is None and getattr(error, "problems", None) and isinstance(error.problems, dict):
        problem = next(iter(error.problems.values()))
    if isinstance(problem, Problem):
        return problem
    return Problem(f"{type(error).__name__}: {error}"[:900])


def _fail(job_id: int, attempt: int | None, error: BaseException | Problem) -> None:
    problem = error if isinstance(error, Problem) else problem_of(error)
    _write(job_id, attempt, status=JobStatus.FAILED, finished_at=utcnow(),
           error=problem.render()[:1000],
           result={"problem": {"message": problem.message, "params": problem.params}})




def _redis() -> Redis:
    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=5)


def queue_name() -> str:
    return str(_config("JOB_QUEUE", QUEUE))


def _enqueue(job_id: int) -> None:
    """Put the job on the queue; a queue that cannot be reached fails the job (with a retry)."""
    try:
        with _redis() as redis:
            Queue(queue_name(), connection=redis).enqueue(
                "competition.services.jobs.run_queued", job_id,
                job_id=f"job-{job_id}-{secrets.token_hex(4)}",
                job_timeout=int(_config("JOB_TIMEOUT_SECONDS", TIMEOUT_SECONDS)),
                result_ttl=0, failure_ttl=7 * 24 * 3600, description=f"competition job {job_id}")
    except RedisError:
        log.exception("job %s could not be queued", job_id)
        _fail(job_id, None, Problem(MSG_QUEUE_DOWN))
