"""Background jobs: a batch of certificates or a large import, run apart from the request that
starts it, with its progress and outcome in a :class:`~competition.models.jobs.Job` row that every
web worker can read.

Where a job runs
    With ``REDIS_URL`` set, on the RQ queue ``JOB_QUEUE`` (default ``competition``), in the
    worker processes that ``flask --app competition worker`` starts: any host with the same
    ``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY`` (and, for certificate files, a shared
    ``EXPORTS_DIR``) can start a job, and any worker can run it. RQ forks a fresh process for
    each job. Without Redis, in a thread of the web process that started it, as before; with
    ``EXPORT_JOBS_SYNC`` (the tests), at once in the request.

The lease
    Whoever takes a job holds a lease on it: a thread writes ``heartbeat_at`` every
    ``JOB_HEARTBEAT_SECONDS`` (10) while the job runs, and a web process that hands a job to one
    of its own threads writes it when it does. A queued or running job whose heartbeat is older
    than ``JOB_LEASE_SECONDS`` (60) belongs to a process that died (a killed gunicorn worker, a
    restarted host): :func:`expire_lapsed`, run whenever jobs are listed or looked at, marks it
    failed, and it can be retried (:func:`retry`, the job page's button, ``flask jobs retry``).
    A job waiting on the Redis queue holds no lease until a worker takes it: waiting for a
    worker is not dying.

    Every write of a run names its attempt (``attempts``, counted when a run takes the job) and
    only applies while the job is still running under that attempt. A run that lost its lease
    (failed meanwhile, or retried by another run) can no longer report progress or finish: its
    next write raises :class:`JobLost`, and a job whose work is one transaction (an import)
    marks itself done inside that transaction (:meth:`Run.finish`), so that the work and the
    outcome commit together or not at all.

What a job does
    Each kind registers the function that does its work with :func:`handler`: it receives the
    job and its :class:`Run`, reports progress with :meth:`Run.progress`, and returns the
    columns to set when it is done (or finishes itself). An exception fails the job with its
    message.

Secrets and uploads
    What a job must hand over once and never keep in clear (an import's initial passwords) is
    sealed with a key derived from ``SECRET_KEY`` (:func:`seal`, Fernet: AES with an HMAC) and
    kept in ``Job.secret`` until it is shown, or ``JOB_KEEP_HOURS`` (24) after the job ended at
    most. An import's uploaded file is dropped when the import is done, and a failed one's
    (kept for a retry) after the same time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from flask import Flask, current_app, has_app_context
from redis import Redis, RedisError
from rq import Queue, Worker

from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.models import Event, User
from competition.models.base import utcnow
from competition.models.jobs import Job, JobKind, JobStatus
from competition.services.errors import NotAllowed, committing

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


# --- the Redis queue ----------------------------------------------------------------------

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


def run_queued(job_id: int) -> None:
    """What a queue worker runs: :func:`perform`, in the app of ``flask --app competition
    worker`` (RQ forks the worker for every job: the forked process opens its own database
    connections)."""
    if not has_app_context():
        raise RuntimeError("run the job queue with `flask --app competition worker`")
    app = current_app._get_current_object()
    db.engine.dispose(close=False)
    with app.app_context():
        try:
            perform(job_id)
        finally:
            db.session.remove()


def work(burst: bool = False, queue: str | None = None) -> bool:
    """Run the queue's jobs in this process until stopped (``burst``: until it is empty)."""
    db.engine.dispose()
    with _redis() as redis:
        worker = Worker([Queue(queue or queue_name(), connection=redis)], connection=redis)
        return worker.work(burst=burst, logging_level="INFO")


def workers_listening() -> int | None:
    """How many queue workers are there (None without Redis, or when it cannot be reached)."""
    if not current_app.config.get("REDIS_URL"):
        return None
    try:
        with _redis() as redis:
            return Worker.count(connection=redis, queue=Queue(queue_name(), connection=redis))
    except RedisError:
        return None


# --- leases, retries, reading -------------------------------------------------------------

def expire_lapsed() -> int:
    """Fail every queued or running job whose lease has run out, and drop the sealed secrets
    and uploads of jobs that ended more than ``JOB_KEEP_HOURS`` ago; the number of jobs
    failed."""
    now = utcnow()
    seconds = lease_seconds()
    problem = Problem(MSG_LEASE, {"seconds": round(seconds)})
    with committing():
        failed = db.session.execute(
            sa.update(Job).where(Job.status.in_(ACTIVE), Job.heartbeat_at.is_not(None),
                                 Job.heartbeat_at < now - timedelta(seconds=seconds))
            .values(status=JobStatus.FAILED, finished_at=now, error=problem.render(),
                    result={"problem": {"message": problem.message, "params": problem.params}})
            .execution_options(**_BULK)).rowcount
        hours = int(_config("JOB_KEEP_HOURS", KEEP_HOURS))
        db.session.execute(sa.update(Job).where(
            sa.or_(Job.secret.is_not(None), Job.payload.is_not(None)),
            Job.status.not_in(ACTIVE), Job.finished_at < now - timedelta(hours=hours))
            .values(secret=None, payload=None).execution_options(**_BULK))
    if failed:
        log.warning("%s jobs failed: their lease ran out", failed)
    return failed


def retry(job: Job, here: bool = False) -> Job:
    """Queue a failed job again and run it (see :func:`dispatch`; NotAllowed unless it failed
    and still has what it needs)."""
    expire_lapsed()
    db.session.refresh(job)
    if job.status != JobStatus.FAILED:
        raise NotAllowed(Problem(MSG_NOT_FAILED))
    if job.kind == JobKind.IMPORT and job.payload is None:
        raise NotAllowed(Problem(MSG_INPUT_GONE))
    with committing():
        again = db.session.execute(
            sa.update(Job).where(Job.id == job.id, Job.status == JobStatus.FAILED)
            .values(status=JobStatus.QUEUED, done=0, error="", result={}, file_name="",
                    finished_at=None, started_at=None, heartbeat_at=None)
            .execution_options(**_BULK)).rowcount
    if again != 1:
        raise NotAllowed(Problem(MSG_NOT_FAILED))
    dispatch(job, here)
    return job


def event_job(event: Event, job_id: int) -> Job | None:
    """The event's job ``job_id`` as it stands now (a lapsed lease failed first), or None."""
    expire_lapsed()
    job = db.session.get(Job, job_id, populate_existing=True)
    return job if job is not None and job.event_id == event.id else None


def recent(event: Event, kinds: tuple[JobKind, ...], limit: int = 10,
           where: tuple = ()) -> list[Job]:
    """The event's latest jobs of ``kinds`` (lapsed leases failed first)."""
    expire_lapsed()
    return list(db.session.scalars(
        sa.select(Job).where(Job.event_id == event.id, Job.kind.in_(kinds), *where)
        .order_by(Job.id.desc()).limit(limit).execution_options(populate_existing=True)))


def every_job(limit: int = 50) -> list[Job]:
    """The latest jobs of every event (the command line's ``jobs``)."""
    expire_lapsed()
    return list(db.session.scalars(sa.select(Job).order_by(Job.id.desc()).limit(limit)))


# --- secrets ------------------------------------------------------------------------------

def _fernet() -> Fernet:
    key = hmac.new(str(current_app.config["SECRET_KEY"]).encode(), b"competition job secrets",
                   hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: Any) -> str:
    """``value`` (anything JSON can hold) encrypted and authenticated with the app's key."""
    return _fernet().encrypt(json.dumps(value).encode()).decode("ascii")


def unseal(token: str) -> Any:
    """What :func:`seal` sealed; None when the token was sealed with another key or tampered."""
    try:
        return json.loads(_fernet().decrypt(token.encode("ascii")))
    except (InvalidToken, ValueError):
        return None


def take_secret(job: Job) -> Any:
    """The job's sealed secret, dropped from the database in the same step, so that only one
    request ever gets it; None when there is none (any more)."""
    token = job.secret
    if not token:
        return None
    with committing():
        taken = db.session.execute(sa.update(Job).where(Job.id == job.id, Job.secret == token)
                                   .values(secret=None).execution_options(**_BULK)).rowcount
    db.session.expire(job)
    return unseal(token) if taken == 1 else None
