"""Set-up from Excel: trades with their marking schemes, and judges."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.forms import setup as forms
from competition.services import imports, judges
from competition.setup.blueprint import bp
from competition.web import downloads
from competition.web.access import ORGANIZING, READING, role_required
from competition.web.loaders import event_or_404

# --- imports from Excel ------------------------------------------------------------------------

KINDS = {"trades": ".trades", "judges": ".judge_list"}  # import kind → where to go after it


def _importer(kind: str) -> imports.Importer:
    if kind not in KINDS:
        abort(404)
    return imports.IMPORTERS[kind]


@bp.route("/events/<event_code>/import/<kind>", methods=["GET", "POST"])
@role_required(*ORGANIZING)
def import_sheet(event_code: str, kind: str):
    event = event_or_404(event_code)
    importer = _importer(kind)
    form = forms.UploadForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        report = importer.run(event, upload.read(), current_user, upload.filename or "")
        if report.ok:
            if report.credentials:
                return render_template("setup/credentials.html", event=event,
                                       credentials=report.credentials,
                                       sheet=judges.credentials_sheet(report.credentials))
            flash(report.summary(_), "success")
            return redirect(url_for(KINDS[kind], event_code=event.code))
    return render_template("setup/import.html", event=event, form=form, report=report,
                           importer=importer, kind=kind), \
        422 if report is not None and not report.ok else 200


@bp.get("/events/<event_code>/import/<kind>/template.xlsx")
@role_required(*ORGANIZING)
def import_template(event_code: str, kind: str):
    event = event_or_404(event_code)
    importer = _importer(kind)
    return downloads.xlsx(importer.template(event), f"{kind}-template.xlsx")


