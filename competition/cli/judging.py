"""``flask import-scores``: marks from paper sheets, all or nothing, with a row report."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from competition.cli.common import event_by_code, report_import
from competition.services import imports


@click.command("import-scores")
@click.option("--event", "event_code", required=True, help="Event code.")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_scores(event_code: str, path: Path) -> None:
    """Import marks (trade, entrant, aspect, judge, mark) from FILE.xlsx: all or nothing."""
    event = event_by_code(event_code)
    report = imports.run("scores", event, path.read_bytes(), None, path.name)
    report_import(report)


COMMANDS = [import_scores]
