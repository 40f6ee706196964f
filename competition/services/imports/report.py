"""What every Excel import shares: reading the upload safely, reporting bad rows, and how it is
run (:class:`Options`: in the request, or checked there and written by a background job).

An import is all-or-nothing: it reads and checks every row first, and writes only when no row
has a problem. The report lists every problem with its row number and column, in the user's
language when rendered.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from openpyxl import load_workbook
from werkzeug.datastructures import MultiDict

from competition.domain.messages import N_, Problem
from competition.forms.fields import options
from competition.services.errors import committing
from competition.spreadsheets.reader import Column, Table, limits_for, read_table
from competition.spreadsheets.safety import Limits, UploadRefused, check_xlsx
from competition.spreadsheets.writer import annotate_errors


@dataclass(frozen=True)
class RowProblem:
    row: int | None
    column: str | None
    problem: Problem


@dataclass
class ImportReport:
    problems: list[RowProblem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    header_row: int = 1
    credentials: list[Any] = field(default_factory=list)
    data: bytes = b""
    # Row numbers refer to the first sheet; an import reading several sheets cannot be marked up.
    annotatable: bool = True
    # What the upload was read under, so that the marked-up copy is opened under the same.
    limits: Limits = field(default_factory=Limits)
    # Checked and found clean, but left to a background job to write (Options.defer).
    deferred: bool = False
    rows: int = 0
    # Paper marking sheets kept as pending two-person entries (nothing written as marks).
    entries: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, row: int | None, problem: Problem, column: str | None = None) -> None:
        self.problems.append(RowProblem(row, column or problem.column, problem))

    def lines(self, translate: Callable[[str], str]) -> list[tuple[int | None, str, str]]:
        """(row, column, reason) for every problem, sorted by row, translated."""
        return [(p.row, p.column or "", p.problem.render(translate))
                for p in sorted(self.problems, key=lambda p: (p.row or 0))]

    def bad_rows(self) -> int:
        return len({p.row for p in self.problems if p.row})

    def summary(self, translate: Callable[..., str]) -> str:
        if not self.ok:
            return translate("Nothing was imported: %(n)s problems in %(rows)s rows.") % {
                "n": len(self.problems), "rows": self.bad_rows()}
        if self.entries:
            return translate("Entered %(n)s paper sheets with %(rows)s marks: they count once a "
                             "second person confirms them.") % {"n": self.entries,
                                                                 "rows": self.rows}
        return translate("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def annotated_base64(self, translate: Callable[[str], str]) -> str:
        """The annotated workbook for a download link in the page, or "" when there is none."""
        if not self.annotatable or not any(p.row for p in self.problems):
            return ""
        try:
            return base64.b64encode(self.annotated(translate)).decode("ascii")
        except UploadRefused:
            return ""

    def annotated(self, translate: Callable[[str], str]) -> bytes:
        """The uploaded workbook with each bad row's reasons in an extra column."""
        by_row: dict[int, list[str]] = defaultdict(list)
        for row, column, text in self.lines(translate):
            if row:
                by_row[row].append(f"{column}: {text}" if column else text)
        return annotate_errors(self.data, by_row, self.header_row, self.limits)


def read_upload(data: bytes, columns: Sequence[Column], report: ImportReport,
                sheet: str | None = None) -> Table | None:
    """Read a sheet of an upload; a refused file or a bad header goes into ``report``."""
    report.data = data
    report.limits = limits_for(columns)
    try:
        table = read_table(data, columns, sheet=sheet, limits=report.limits)
    except UploadRefused as refusal:
        report.add(None, refusal.problem)
        return None
    report.header_row = table.header_row or 1
    for problem in table.problems:
        report.add(problem.params.get("row"), problem)
    if not table.problems and not table.rows:
        report.add(None, Problem(N_("The sheet has no rows below its header: nothing to import.")))
    return None if report.problems else table


@dataclass(frozen=True)
class Options:
    """How an import runs: ``defer(rows)`` true leaves a clean file unwritten (``deferred``) for
    a background job; ``progress(done, total)`` hears how far the writing got; ``before_commit``
    runs inside the write's transaction once the rows are written (a job marks itself done
    there, so that the rows and the job's outcome commit together or not at all)."""

    defer: Callable[[int], bool] | None = None
    progress: Callable[[int, int], None] | None = None
    before_commit: Callable[[ImportReport], None] | None = None

    def report_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


IN_THE_REQUEST = Options()


@contextmanager
def writing(report: ImportReport, options: Options = IN_THE_REQUEST) -> Iterator[None]:
    """The transaction an import writes in (see :class:`Options`)."""
    with committing():
        yield
        if options.before_commit is not None:
            options.before_commit(report)


def check_rows(data: bytes, columns: Sequence[Column], report: ImportReport,
               check: Callable[[Any], None]) -> bool:
    """Read the upload's rows and give each to ``check`` (which reports its problems); True
    when the file was read and every row passed, so the import may write."""
    table = read_upload(data, columns, report)
    if table is None:
        return False
    report.rows = len(table.rows)
    for row in table.rows:
        check(row)
    return report.ok


def run_import(data: bytes, columns: Sequence[Column], report: ImportReport,
               check: Callable[[Any], None], write: Callable[[], None],
               options: Options = IN_THE_REQUEST) -> ImportReport:
    """The one shape of an import: every row checked (:func:`check_rows`), then ``write`` in one
    transaction, only when no row has a problem (or left to a job, see :class:`Options`)."""
    if check_rows(data, columns, report, check):
        if options.defer is not None and options.defer(report.rows):
            report.deferred = True
            return report
        with writing(report, options):
            write()
    return report


def text(value: object) -> str:
    return "" if value is None else str(value).strip()


YES = {"是", "y", "yes", "true", "1", "√", "✓", "x"}
NO = {"否", "n", "no", "false", "0", ""}


def parse_bool(value: object) -> bool | None:
    lowered = text(value).lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    return None


def parse_choice(value: object, choices: dict[str, str]) -> str | None:
    """A cell's value mapped through ``choices`` (keys lower-case, Chinese or English)."""
    return choices.get(text(value).lower())


NOT_A_CHOICE = N_("“%(value)s” is not one of: %(choices)s.")
REQUIRED = N_("This cell must not be empty.")


def form_problems(form_class, values: Mapping, report: ImportReport, row: int,
                  labels: Mapping[str, str], **choices) -> object | None:
    """Validate one row with the form the organizer's page uses; its errors become the row's
    problems (the column named by ``labels``). ``choices`` fills select fields' options."""
    form = form_class(formdata=MultiDict({k: "" if v is None else str(v) for k, v in values.items()}),
                      meta={"csrf": False})
    for name, pairs in choices.items():
        getattr(form, name).choices = options(pairs)
    if form.validate():
        return form
    for name, errors in form.errors.items():
        for error in errors:
            report.add(row, Problem(str(error)), labels.get(name, name))
    return None


def sheet_names(data: bytes) -> list[str]:
    """The sheets of an uploaded workbook (checked for safety first)."""
    check_xlsx(data)
    workbook = load_workbook(BytesIO(data), read_only=True)
    try:
        return workbook.sheetnames
    finally:
        workbook.close()
