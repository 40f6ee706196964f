"""Registration commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from competition.cli.common import event_by_code, report_import
from competition.services import imports


@click.command("import-contestants")
@click.option("--event", "event_code", required=True, help="Event code.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_contestants_command(event_code: str, file: Path) -> None:
    """Import contestants from an Excel file: all rows or none, every bad row reported."""
    event = event_by_code(event_code)
    report = imports.run("contestants", event, file.read_bytes(), None, file.name)
    report_import(report)


COMMANDS = [import_contestants_command]
