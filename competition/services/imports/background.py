"""Imports too slow for a request, written by a background job (``competition.services.jobs``).

The request reads and checks every row as usual, so a bad file is reported at once; a clean
file of more rows than its importer writes in a request becomes a job that holds the upload
(``Job.payload``). The job runs the whole import again (the event may have changed meanwhile),
all or nothing, and marks itself done in the import's own transaction. Its outcome (the summary,
or the row problems) is kept in ``Job.result``; initial passwords are sealed with the app's key
in ``Job.secret`` and handed over once, to whoever started the import (:func:`take_credentials`).
The upload is dropped once the import is done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.models import Event, User
from competition.models.jobs import Job, JobKind, JobStatus
from competition.services import jobs
from competition.services.errors import NotAllowed
from competition.services.imports.report import ImportReport, Options, RowProblem
from competition.services.judges import Credential
from competition.spreadsheets.reader import limits_for

MSG_NOT_YOURS = N_("Only the person who started this import is shown its initial passwords.")
MSG_SHOWN = N_("The initial passwords of this import were already shown, or kept too long "
               "and dropped; reset the passwords of the judges who still need one.")


def start(importers: dict, kind: str, event: Event, data: bytes, actor: User | None,
          source: str, back: str = "") -> ImportReport | Job:
    """Run the import of ``kind``, in the request when the file is small enough, else as a job:
    the report of an import that ran (or was refused), or the job that will write it."""
    importer = importers[kind]
    limit = importer.background_rows
    defer = None if limit is None else (lambda rows: rows > limit)
    report = importer.run(event, data, actor, source, Options(defer=defer))
    if not report.deferred:
        return report
    return jobs.start(event, actor, JobKind.IMPORT, payload=data, total=report.rows,
                      params={"kind": kind, "source": source[:200],
                              "back": back if back.startswith("/") and not back.startswith("//")
                              else ""},
                      download_name=source[:200] or f"{kind}.xlsx")


def handler(importers: dict) -> Callable[[Job, jobs.Run], dict | None]:
    """The job handler of imports, over the registry of importers."""
    def run_import_job(job: Job, run: jobs.Run) -> dict | None:
        importer = importers[job.params["kind"]]
        event = db.session.get(Event, job.event_id)
        actor = db.session.get(User, job.created_by_id) if job.created_by_id else None

        def done(report: ImportReport) -> None:
            run.finish(done=report.created + report.updated + report.unchanged,
                       result=_summary(report), payload=None,
                       secret=jobs.seal([asdict(c) for c in report.credentials])
                       if report.credentials else None)

        report = importer.run(event, job.payload, actor, job.params.get("source", ""),
                              Options(progress=run.progress, before_commit=done))
        if report.ok:
            return None
        return {"status": JobStatus.FAILED, "result": _problems(report),
                "error": report.summary(lambda s: s)[:1000]}
    return run_import_job


def _summary(report: ImportReport) -> dict:
    return {"created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "credentials": len(report.credentials)}


def _problems(report: ImportReport) -> dict:
    return {"header_row": report.header_row, "problems": [
        {"row": p.row, "column": p.column, "message": p.problem.message,
         "params": {k: v if isinstance(v, int | float | str | None) else str(v)
                    for k, v in p.problem.params.items()}}
        for p in report.problems]}


def job_report(importers: dict, job: Job) -> ImportReport:
    """The import job's outcome as the import page shows one: its summary, or its row problems
    (with the upload, kept for the marked-up copy)."""
    result = job.result or {}
    report = ImportReport(created=result.get("created", 0), updated=result.get("updated", 0),
                          unchanged=result.get("unchanged", 0),
                          header_row=result.get("header_row", 1), data=job.payload or b"")
    importer = importers.get(job.params.get("kind"))
    if importer is not None:
        report.limits = limits_for(importer.columns)
    for line in result.get("problems", ()):
        report.problems.append(RowProblem(line["row"], line["column"],
                                          Problem(line["message"], line["params"])))
    if job.status == JobStatus.FAILED and not report.problems and result.get("problem"):
        report.add(None, Problem(result["problem"]["message"], result["problem"]["params"]))
    return report


def take_credentials(job: Job, user: User) -> list[Credential]:
    """The import's initial passwords, for the user who started it, once: they are dropped
    from the database as they are handed over."""
    if job.kind != JobKind.IMPORT or job.status != JobStatus.DONE:
        raise NotAllowed(Problem(MSG_SHOWN))
    if job.created_by_id != user.id:
        raise NotAllowed(Problem(MSG_NOT_YOURS))
    sealed = jobs.take_secret(job)
    if sealed is None:
        raise NotAllowed(Problem(MSG_SHOWN))
    return [Credential(**c) for c in sealed]
