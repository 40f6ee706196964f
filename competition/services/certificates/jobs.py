"""Background jobs that print batches of certificates: the progress lives in an
:class:`~competition.models.ExportJob` row, so any worker can report it and no request waits; the
file is written under :func:`exports_dir`."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app

from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.models import Delegation, Event, ExportJob, JobStatus, Trade, User
from competition.models.base import utcnow
from competition.services.certificates.printing import download_name, prepare, printed, selection, write_batch
from competition.services.certificates.settings import settings_for
from competition.services.errors import Invalid, committing

log = logging.getLogger("competition.certificates")

FORMATS = ("pdf", "zip")
PROGRESS_SECONDS = 0.5  # how often a running job writes its progress


def exports_dir() -> Path:
    """Where finished batches are kept: EXPORTS_DIR, else instance/exports/."""
    path = Path(current_app.config.get("EXPORTS_DIR") or Path(current_app.instance_path) / "exports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_job(event: Event, user: User | None, *, trade: Trade | None = None,
              delegation: Delegation | None = None, kind: str | None = None, fmt: str = "pdf",
              base_url: str) -> ExportJob:
    """Check the batch (:func:`prepare`) and print it in a background thread (at once, in this
    thread, when EXPORT_JOBS_SYNC is set); the job row reports progress."""
    if fmt not in FORMATS:
        raise Invalid({"format": Problem(N_("Choose PDF or ZIP."))})
    certs, _data, _settings = prepare(event, user, trade=trade, delegation=delegation, kind=kind,
                                      base_url=base_url)
    with committing():
        job = ExportJob(event_id=event.id, created_by_id=user.id if user else None,
                        params={"trade_id": trade.id if trade else None,
                                "delegation_id": delegation.id if delegation else None,
                                "kind": kind or None, "format": fmt, "base_url": base_url},
                        status=JobStatus.QUEUED, total=len(certs), done=0,
                        download_name=download_name(event, trade, delegation, kind, fmt))
        db.session.add(job)
    if current_app.config.get("EXPORT_JOBS_SYNC"):
        run_job(job.id)
    else:
        threading.Thread(target=_run_in_thread, name=f"export-job-{job.id}", daemon=True,
                         args=(current_app._get_current_object(), job.id)).start()
    return job


def _run_in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            db.session.remove()


def _set_job(job_id: int, **values) -> None:
    """Record a job's progress or outcome at once, in its own transaction."""
    with committing():
        db.session.execute(sa.update(ExportJob).where(ExportJob.id == job_id).values(**values))


def run_job(job_id: int) -> None:
    """Print a queued job's batch to a file under :func:`exports_dir`, writing its progress to
    the job row every half second; a failure is recorded on the job, never raised."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        return
    _set_job(job_id, status=JobStatus.RUNNING)
    params = dict(job.params)
    try:
        event = db.session.get(Event, job.event_id)
        trade = db.session.get(Trade, params["trade_id"]) if params.get("trade_id") else None
        delegation = db.session.get(Delegation, params["delegation_id"]) \
            if params.get("delegation_id") else None
        certs = selection(event, trade, delegation, params.get("kind"))
        settings = settings_for(event)
        data = printed(event, certs, settings, params["base_url"])
        path = exports_dir() / f"job-{job_id}-{secrets.token_hex(8)}.{params['format']}"
        last = [time.monotonic()]

        def progress(done: int) -> None:
            if time.monotonic() - last[0] >= PROGRESS_SECONDS:
                last[0] = time.monotonic()
                _set_job(job_id, done=done)

        with path.open("wb") as out:
            pages = write_batch(certs, data, params["format"], settings, out, progress)
        _set_job(job_id, status=JobStatus.DONE, done=pages, total=pages, file_name=path.name,
                 finished_at=utcnow())
    except Exception as error:  # recorded for the page to show; the thread must not die silently
        db.session.rollback()
        log.exception("export job %s failed", job_id)
        message = getattr(error, "problem", None)
        _set_job(job_id, status=JobStatus.FAILED, finished_at=utcnow(),
                 error=(message.render() if message else f"{type(error).__name__}: {error}")[:1000])


def job_file(job: ExportJob) -> Path | None:
    """The finished job's file, if it is there."""
    if job.status != JobStatus.DONE or not job.file_name:
        return None
    path = exports_dir() / job.file_name
    return path if path.is_file() else None


def recent_jobs(event: Event, limit: int = 10) -> list[ExportJob]:
    return list(db.session.scalars(sa.select(ExportJob).where(ExportJob.event_id == event.id)
                                   .order_by(ExportJob.id.desc()).limit(limit)))


