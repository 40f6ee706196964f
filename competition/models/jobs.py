"""Background jobs (a batch of certificates to print, a large import): their state, progress and
lease live in the database, so any worker process, on any host, can run one and any web worker
can report it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from competition.extensions import db
from competition.models.base import enum_column, utcnow

if TYPE_CHECKING:
    from competition.models.people import User


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class JobKind(enum.StrEnum):
    CERTIFICATES = "certificates"
    IMPORT = "import"


class Job(db.Model):
    """A long task run apart from the request that started it.

    ``params`` say what to do (a batch: ``{"trade_id", "delegation_id", "kind", "format",
    "base_url"}``; an import: ``{"kind", "source"}``); ``payload`` holds the input a worker on
    another host needs (the uploaded workbook), dropped once the job is done. ``result`` is what
    the job found (an import's summary or its row problems); ``secret`` what it must hand over
    once and never keep in clear (an import's initial passwords, encrypted with the app's key),
    dropped once shown. A finished batch's file is written under instance/exports/.

    The lease: whoever runs the job writes ``heartbeat_at`` while it runs; a queued or running
    job whose heartbeat is older than the lease is taken for dead and failed (see
    ``competition.services.jobs``). ``attempts`` counts the runs, and every write of a run names
    its attempt, so a run that lost its lease can no longer change the job.
    """

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("event.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[JobKind] = mapped_column(enum_column(JobKind), default=JobKind.CERTIFICATES)
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    file_name: Mapped[str] = mapped_column(sa.String(200), default="")
    download_name: Mapped[str] = mapped_column(sa.String(200), default="")
    error: Mapped[str] = mapped_column(sa.String(1000), default="")
    payload: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    result: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    secret: Mapped[str | None] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    created_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint("done >= 0 AND total >= 0 AND attempts >= 0", name="counts_positive"),
    )


# The name the certificate batches knew the model by (competition.models exports it).
ExportJob = Job
