"""Every Excel import, and what they share: one report (:class:`ImportReport`: each bad row with
its number, column and reason, the uploaded workbook marked up) and one registry of importers.

Every import is all or nothing: it reads and checks every row first, and writes, in one
transaction, only when no row has a problem. Importing the same file twice adds nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from competition.domain.messages import N_
from competition.models import Event, User
from competition.services.imports import contestants, judges, scores, trades
from competition.services.imports.report import ImportReport, RowProblem
from competition.spreadsheets.reader import Column


@dataclass(frozen=True)
class Importer:
    """One kind of import: its title and help (untranslated), the columns it reads, how it runs
    (event, file, acting user or None for the command line, the file's name) and its template."""

    title: str
    help: str
    columns: tuple[Column, ...]
    run: Callable[[Event, bytes, User | None, str], ImportReport]
    template: Callable[[Event], bytes]


IMPORTERS: dict[str, Importer] = {
    "trades": Importer(
        title=N_("Import trades and marking schemes"), columns=trades.COLUMNS,
        run=lambda event, data, _actor, _source: trades.import_trades(event, data),
        template=trades.template,
        help=N_("Sheet 1 lists the trades, sheet 2 their marking schemes (one row per aspect). "
                "A file with any bad row imports nothing.")),
    "judges": Importer(
        title=N_("Import judges"), columns=judges.JUDGE_COLUMNS,
        run=lambda event, data, _actor, _source: judges.import_judges(event, data),
        template=judges.template,
        help=N_("One row per judge. Leave the username blank to have one made up. Initial "
                "passwords are shown once after the import.")),
    "contestants": Importer(
        title=N_("Import contestants"), columns=contestants.COLUMNS,
        run=lambda event, data, _actor, _source: contestants.import_contestants(event, data),
        template=contestants.template, help=""),
    "scores": Importer(
        title=N_("Import marks from paper sheets"), columns=scores.COLUMNS,
        run=scores.import_scores, template=scores.template, help=""),
}


def run(kind: str, event: Event, data: bytes, actor: User | None = None,
        source: str = "") -> ImportReport:
    """Run the import of ``kind`` on an uploaded file (KeyError for an unknown kind)."""
    return IMPORTERS[kind].run(event, data, actor, source)


__all__ = ["IMPORTERS", "ImportReport", "Importer", "RowProblem", "run"]
