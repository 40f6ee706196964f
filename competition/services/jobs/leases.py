"""Leases that ran out, retries, and reading jobs back (a lapsed lease is failed first)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from competition.domain.messages import Problem
from competition.extensions import db
from competition.models import Event
from competition.models.base import utcnow
from competition.models.jobs import Job, JobKind, JobStatus
from competition.services.errors import NotAllowed, committing
from competition.services.jobs.runs import (
    _BULK,
    ACTIVE,
    KEEP_HOURS,
    MSG_INPUT_GONE,
    MSG_LEASE,
    MSG_NOT_FAILED,
    _config,
    dispatch,
    lease_seconds,
    log,
)


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
