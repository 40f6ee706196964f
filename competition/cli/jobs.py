"""Background jobs from the command line: ``worker`` runs the Redis queue's jobs (start it under
systemd beside the web servers), ``jobs`` lists the latest jobs and ``jobs retry ID`` runs a
failed one again."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from competition.cli.common import refusal_text
from competition.extensions import db
from competition.models.jobs import Job
from competition.services import jobs as job_service
from competition.services.errors import NotAllowed


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
@click.option("--queue", "queue_name", help="The queue to take jobs from (default JOB_QUEUE, "
              "else 'competition').")
@with_appcontext
def worker(burst: bool, queue_name: str | None) -> None:
    """Run background jobs (certificate batches, large imports) from the Redis queue."""
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("Set REDIS_URL: without Redis, jobs run inside the web "
                                   "processes and no worker is needed.")
    job_service.work(burst=burst, queue=queue_name)


jobs = AppGroup("jobs", help="Background jobs: list them, retry a failed one.")


@jobs.command("list")
@click.option("--limit", default=20, show_default=True, help="How many of the latest jobs.")
def list_jobs(limit: int) -> None:
    """The latest jobs of every event (a job whose worker died is failed first)."""
    for job in job_service.every_job(limit):
        click.echo(f"{job.id}\t{job.event_id}\t{job.kind}\t{job.status}\t{job.done}/{job.total}"
                   f"\t{job.download_name}\t{job.error[:80]}")


@jobs.command("retry")
@click.argument("job_id", type=int)
def retry(job_id: int) -> None:
    """Run the failed job JOB_ID again (on the queue when REDIS_URL is set, else here and now,
    with this command waiting for it)."""
    job = db.session.get(Job, job_id)
    if job is None:
        raise click.ClickException(f"No job {job_id}.")
    try:
        job_service.retry(job, here=not current_app.config.get("REDIS_URL"))
    except NotAllowed as refusal:
        raise click.ClickException(refusal_text(refusal)) from None
    db.session.refresh(job)
    click.echo(f"Job {job_id}: {job.status} {job.done}/{job.total} {job.error}".rstrip())


COMMANDS = [worker, jobs]
