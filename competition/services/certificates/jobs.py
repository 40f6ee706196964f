"""Batches of certificates printed as background jobs (``competition.services.jobs``): the
progress lives in a :class:`~competition.models.jobs.Job` row, so any worker can report it and no
request waits; the file is written under :func:`exports_dir`."""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.models import Delegation, Event, Trade, User
from competition.models.jobs import Job, JobKind, JobStatus
from competition.services import jobs
from competition.services.certificates.printing import download_name, prepare, printed, selection, write_batch
from competition.services.certificates.settings import settings_for
from competition.services.errors import Invalid

FORMATS = ("pdf", "zip")


def exports_dir() -> Path:
    """Where finished batches are kept: EXPORTS_DIR, else instance/exports/ (with several hosts,
    a directory they share)."""
    path = Path(current_app.config.get("EXPORTS_DIR") or Path(current_app.instance_path) / "exports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def start_job(event: Event, user: User | None, *, trade: Trade | None = None,
              delegation: Delegation | None = None, kind: str | None = None, fmt: str = "pdf",
              base_url: str) -> Job:
    """Check the batch (:func:`prepare`) and print it as a background job; the job row reports
    progress."""
    if fmt not in FORMATS:
        raise Invalid({"format": Problem(N_("Choose PDF or ZIP."))})
    certs, _data, _settings = prepare(event, user, trade=trade, delegation=delegation, kind=kind,
                                      base_url=base_url)
    return jobs.start(event, user, JobKind.CERTIFICATES,
                      params={"trade_id": trade.id if trade else None,
                              "delegation_id": delegation.id if delegation else None,
                              "kind": kind or None, "format": fmt, "base_url": base_url},
                      total=len(certs), download_name=download_name(event, trade, delegation, kind, fmt))


@jobs.handler(JobKind.CERTIFICATES)
def print_batch(job: Job, run: jobs.Run) -> dict:
    """Print the job's batch to a file under :func:`exports_dir`, with its progress."""
    params = dict(job.params)
    event = db.session.get(Event, job.event_id)
    trade = db.session.get(Trade, params["trade_id"]) if params.get("trade_id") else None
    delegation = db.session.get(Delegation, params["delegation_id"]) \
        if params.get("delegation_id") else None
    certs = selection(event, trade, delegation, params.get("kind"))
    settings = settings_for(event)
    data = printed(event, certs, settings, params["base_url"])
    path = exports_dir() / f"job-{job.id}-{secrets.token_hex(8)}.{params['format']}"
    try:
        with path.open("wb") as out:
            pages = write_batch(certs, data, params["format"], settings, out, run.progress)
    except BaseException:
        path.unlink(missing_ok=True)  # half a batch is no use to anyone
        raise
    return {"done": pages, "total": pages, "file_name": path.name}


def run_job(job_id: int) -> None:
    """Run a queued batch here and now (see :func:`competition.services.jobs.perform`); a
    failure is recorded on the job, never raised."""
    jobs.perform(job_id)


def job_file(job: Job) -> Path | None:
    """The finished job's file, if it is there."""
    if job.kind != JobKind.CERTIFICATES or job.status != JobStatus.DONE or not job.file_name:
        return None
    path = exports_dir() / job.file_name
    return path if path.is_file() else None


def recent_jobs(event: Event, limit: int = 10) -> list[Job]:
    """The event's latest batches (a batch whose worker died is failed first)."""
    return jobs.recent(event, (JobKind.CERTIFICATES,), limit)
