"""Every Excel import, and what they share: one report (:class:`ImportReport`: each bad row with
its number, column and reason, the uploaded workbook marked up) and one registry of importers.

Every import is all or nothing: it reads and checks every row first, and writes, in one
transaction, only when no row has a problem. Importing the same file twice adds nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
    kind: Importer(module.TITLE, module.HELP, module.COLUMNS, module.run, module.template)
    for kind, module in (("trades", trades), ("judges", judges), ("contestants", contestants),
                         ("scores", scores))
}


def run(kind: str, event: Event, data: bytes, actor: User | None = None,
        source: str = "") -> ImportReport:
    """Run the import of ``kind`` on an uploaded file (KeyError for an unknown kind)."""
    return IMPORTERS[kind].run(event, data, actor, source)


__all__ = ["IMPORTERS", "ImportReport", "Importer", "RowProblem", "run"]
