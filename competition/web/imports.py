"""The page of an Excel import, the same for every kind (``competition.services.imports``): the
upload, the row report of a refused file, the background job of a file too large to write in
the request, and where to go once it imported."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.forms.setup import UploadForm
from competition.models import Event
from competition.services import imports


def import_page(layout: str, event: Event, kind: str, template_url: str, done_url: str,
                done: Callable | None = None):
    """Show the import page of ``kind`` in the page ``layout``; a file that imports goes to the
    page ``done(report)`` answers (e.g. the new passwords), else back to ``done_url``; a file
    left to a background job goes to the job's page, which links back to ``done_url``."""
    form = UploadForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        outcome = imports.start(kind, event, upload.read(), current_user, upload.filename or "",
                                back=done_url)
        if not isinstance(outcome, imports.ImportReport):
            return redirect(url_for("exports.job", event_code=event.code, job_id=outcome.id))
        report = outcome
        if report.ok:
            if done is not None and (page := done(report)) is not None:
                return page
            flash(report.summary(_), "success")
            return redirect(done_url)
    return render_template(layout, event=event, form=form, report=report,
                           importer=imports.IMPORTERS[kind], template_url=template_url,
                           jobs=imports.recent_jobs(event, kind)), \
        422 if report is not None else 200
