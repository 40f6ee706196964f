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

from competition.services.jobs.leases import event_job, every_job, expire_lapsed, recent, retry
from competition.services.jobs.queue import run_queued, work, workers_listening
from competition.services.jobs.runs import (
    HEARTBEAT_SECONDS,
    KEEP_HOURS,
    LEASE_SECONDS,
    PROGRESS_SECONDS,
    QUEUE,
    TIMEOUT_SECONDS,
    JobLost,
    Run,
    dispatch,
    handler,
    lease_seconds,
    perform,
    problem_of,
    queue_name,
    start,
)
from competition.services.jobs.sealing import seal, take_secret, unseal

# run_queued is named "competition.services.jobs.run_queued" on the queue: it stays here.
__all__ = ["HEARTBEAT_SECONDS", "KEEP_HOURS", "LEASE_SECONDS", "PROGRESS_SECONDS", "QUEUE",
           "TIMEOUT_SECONDS", "JobLost", "Run", "dispatch", "event_job", "every_job",
           "expire_lapsed", "handler", "lease_seconds", "perform", "problem_of", "queue_name",
           "recent", "retry", "run_queued", "seal", "start", "take_secret", "unseal", "work",
           "workers_listening"]
