"""Import commands: every Excel import of ``competition.services.imports`` as ``flask
import-<kind> --event CODE FILE.xlsx``, all or nothing, with the row report."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from competition.cli.common import event_by_code, report_import
from competition.services import imports

HELP = {
    "contestants": "Import contestants from an Excel file: all rows or none, every bad row "
                   "reported.",
    "scores": "Import marks (trade, entrant, aspect, judge, mark) from FILE.xlsx: all or nothing. "
              "Filled marking sheets are kept as paper entries until a second person confirms "
              "them.",
}


def import_command(kind: str) -> click.Command:
    """``flask import-<kind>``: run the import of ``kind`` on a file from the command line."""
    @click.command(f"import-{kind}", help=HELP[kind])
    @click.option("--event", "event_code", required=True, help="Event code.")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @with_appcontext
    def command(event_code: str, path: Path) -> None:
        event = event_by_code(event_code)
        report_import(imports.run(kind, event, path.read_bytes(), None, path.name))
    return command


COMMANDS = [import_command(kind) for kind in HELP]
