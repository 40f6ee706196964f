"""The Redis queue's side: what a queue worker runs, and the worker itself."""

from __future__ import annotations

from flask import current_app, has_app_context
from redis import RedisError
from rq import Queue, Worker

from competition.extensions import db
from competition.services.jobs.runs import _redis, perform, queue_name


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
