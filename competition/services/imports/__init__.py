"""Every Excel import, and what they share: one report (:class:`ImportReport`: each bad row with
its number, column and reason, the uploaded workbook marked up) and one registry of importers.

Every import is all or nothing: it reads and checks every row first, and writes, in one
transaction, only when no row has a problem. Importing the same file twice adds nothing twice.
Filled paper marking sheets uploaded to the score import are kept as pending entries until a
second person confirms them (``entries``: two-person entry).
An import too slow for a request (a thousand judges' passwords to hash) is checked in the request
and written by a background job (:func:`start`, ``background``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from competition.domain.messages import Problem
from competition.models import Event, PaperEntry, User
from competition.models.jobs import Job, JobKind
from competition.services import jobs
from competition.services.imports import background, contestants, entries, judges, scores, trades
from competition.services.imports.report import ImportReport, Options, RowProblem
from competition.services.judges import Credential
from competition.spreadsheets.reader import Column


@dataclass(frozen=True)
class Importer:
    """One kind of import: its title and help (untranslated), the columns it reads, how it runs
    (event, file, acting user or None for the command line, the file's name, :class:`Options`),
    its template, and from how many rows on a clean file is written by a background job (None:
    always in the request)."""

    title: str
    help: str
    columns: tuple[Column, ...]
    run: Callable[[Event, bytes, User | None, str, Options], ImportReport]
    template: Callable[[Event], bytes]
    background_rows: int | None = None


IMPORTERS: dict[str, Importer] = {
    kind: Importer(module.TITLE, module.HELP, module.COLUMNS, module.run, module.template,
                   getattr(module, "BACKGROUND_ROWS", None))
    for kind, module in (("trades", trades), ("judges", judges), ("contestants", contestants),
                         ("scores", scores))
}
# The score import keeps filled marking sheets for a second person (two-person entry).
IMPORTERS["scores"] = replace(IMPORTERS["scores"], run=entries.run)


def run(kind: str, event: Event, data: bytes, actor: User | None = None,
        source: str = "") -> ImportReport:
    """Run the import of ``kind`` on an uploaded file, here and now (KeyError for an unknown
    kind)."""
    return IMPORTERS[kind].run(event, data, actor, source, Options())


def start(kind: str, event: Event, data: bytes, actor: User | None = None, source: str = "",
          back: str = "") -> ImportReport | Job:
    """Run the import of ``kind`` as a page does: the report when it ran (or was refused) in
    the request, or the background job writing a clean file too large for one (``back``: the
    page its job's page leads back to)."""
    return background.start(IMPORTERS, kind, event, data, actor, source, back)


def job_report(job: Job) -> ImportReport:
    """An import job's outcome as the import page shows one."""
    return background.job_report(IMPORTERS, job)


def take_credentials(job: Job, user: User) -> list[Credential]:
    """The initial passwords of a finished import job, once, for the user who started it."""
    return background.take_credentials(job, user)


def recent_jobs(event: Event, kind: str, limit: int = 5) -> list[Job]:
    """The event's latest import jobs of ``kind``."""
    return jobs.recent(event, (JobKind.IMPORT,), limit, where=(Job.params["kind"].as_string() == kind,))


def paper_entries(event: Event, user: User) -> list[PaperEntry]:
    """The paper entries ``user`` may see: pending first (see :func:`entries.entries_of`)."""
    return entries.entries_of(event, user)


def paper_refusal(user: User, entry: PaperEntry) -> Problem | None:
    """Why ``user`` may not confirm or reject ``entry``, or None."""
    return entries.decide_refusal(user, entry)


confirm_paper = entries.confirm
reject_paper = entries.reject
confirm_paper_by_typing = entries.confirm_by_typing
PaperTyping = entries.Typing

jobs.handler(JobKind.IMPORT)(background.handler(IMPORTERS))

__all__ = ["IMPORTERS", "ImportReport", "Importer", "Options", "PaperTyping", "RowProblem",
           "confirm_paper", "confirm_paper_by_typing", "job_report", "paper_entries",
           "paper_refusal", "recent_jobs", "reject_paper", "run", "start",
           "take_credentials"]
