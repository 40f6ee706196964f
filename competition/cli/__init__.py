"""Command-line tasks (``flask --app competition <command>``): accounts, the demo, backups
(``admin``), Excel imports (``imports``), publishing and results (``results``), exports and
certificates (``exports``)."""

from __future__ import annotations

from flask import Flask

from competition.cli import admin, exports, imports, jobs, results


def init_app(app: Flask) -> None:
    for module in (admin, imports, results, exports, jobs):
        for command in module.COMMANDS:
            app.cli.add_command(command)
