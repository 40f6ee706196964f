"""Set-up from Excel: trades with their marking schemes, and judges."""

from __future__ import annotations

from flask import abort, url_for

from competition.models import Event
from competition.services import imports
from competition.setup.blueprint import bp, credentials_page
from competition.web import downloads
from competition.web.access import ORGANIZING
from competition.web.imports import import_page
from competition.web.loaders import for_event

KINDS = {"trades": ".trades", "judges": ".judge_list"}  # import kind → where to go after it


def _importer(kind: str) -> imports.Importer:
    if kind not in KINDS:
        abort(404)
    return imports.IMPORTERS[kind]


@bp.route("/events/<event_code>/import/<kind>", methods=["GET", "POST"])
@for_event(*ORGANIZING)
def import_sheet(event: Event, kind: str):
    _importer(kind)
    return import_page(
        "setup/import.html", event, kind,
        template_url=url_for(".import_template", event_code=event.code, kind=kind),
        done_url=url_for(KINDS[kind], event_code=event.code),
        done=lambda report: credentials_page(event, report.credentials)
        if report.credentials else None)


@bp.get("/events/<event_code>/import/<kind>/template.xlsx")
@for_event(*ORGANIZING)
def import_template(event: Event, kind: str):
    importer = _importer(kind)
    return downloads.xlsx(importer.template(event), f"{kind}-template.xlsx")


