"""Organizer export pages: the results workbook, certificate settings, batches of certificates,
the page of every background job (a batch, a large import) with its progress, retry and outcome,
and the list of issued certificates.

Organizers, administrators and supervisors download the workbook and see the certificates;
only organizers change settings, print and follow jobs (checked again by the services).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.messages import Problem
from competition.domain.roles import organizes
from competition.exports.forms import BatchForm, SettingsForm
from competition.extensions import db
from competition.models import Delegation, Event, Trade
from competition.models.jobs import Job, JobKind, JobStatus
from competition.services import certificates, imports, jobs, judges, results
from competition.services.errors import Invalid, NotAllowed
from competition.web import downloads
from competition.web.access import ORGANIZING, READING
from competition.web.actions import attempt, form_status, submit
from competition.web.loaders import delegation_or_404, for_event, optional_trade_or_404
from competition.web.paging import page_number
from competition.web.refusals import flash_refusal

bp = Blueprint("exports", __name__, url_prefix="/manage/events/<event_code>/exports")
MIME = {"pdf": "application/pdf", "zip": "application/zip"}


def _locale() -> str:
    return str(get_locale() or "zh")


def _base_url() -> str:
    """Where the QR codes point: PUBLIC_BASE_URL, else the address this request came to."""
    return current_app.config.get("PUBLIC_BASE_URL") or request.host_url


def _trades(event: Event) -> list[Trade]:
    return list(db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)
                                   .order_by(Trade.code)))


def _delegations(event: Event) -> list[Delegation]:
    return list(db.session.scalars(sa.select(Delegation).where(Delegation.event_id == event.id)
                                   .order_by(Delegation.code)))


def _batch_form(event: Event) -> BatchForm:
    form = BatchForm()
    locale = _locale()
    form.trade.choices = [("", _("Every trade"))] + [
        (t.code, f"{t.code} {t.name(locale)}") for t in _trades(event)]
    form.delegation.choices = [("", _("Every delegation"))] + [
        (d.code, f"{d.code} {d.name(locale)}") for d in _delegations(event)]
    return form


@bp.get("")
@for_event(*READING)
def index(event: Event):
    organizing = organizes(current_user.role)
    return render_template("exports/index.html", event=event, delegations=_delegations(event),
                           organizing=organizing,
                           form=_batch_form(event) if organizing else None,
                           jobs=certificates.recent_jobs(event) if organizing else [])


@bp.get("/results.xlsx")
@for_event(*READING)
def workbook(event: Event):
    delegation = delegation_or_404(event, request.args.get("delegation"))
    if delegation is None:
        data = results.event_workbook(event, _locale())
    else:
        data = results.delegation_workbook(event, delegation, _locale())
    return downloads.xlsx(data, results.file_name(event, delegation))


@bp.route("/certificates/settings", methods=["GET", "POST"])
@for_event(*ORGANIZING)
def settings(event: Event):
    current = certificates.settings_for(event)
    form = SettingsForm(obj=current)

    def upload(field):
        return field.data.read(certificates.MAX_IMAGE_BYTES + 1) if field.data else None

    def save():
        return certificates.save_settings(
            event, current_user, layout=form.layout.data, language=form.language.data,
            participation=form.participation.data, organizer_text=form.organizer_text.data,
            date_text=form.date_text.data, background=upload(form.background_upload),
            seal=upload(form.seal_upload), drop_background=form.drop_background.data,
            drop_seal=form.drop_seal.data)

    if submit(form, save, _("Certificate settings saved."),
              fields={"background": "background_upload", "seal": "seal_upload"}):
        return redirect(url_for(".settings", event_code=event.code))
    return render_template("exports/settings.html", event=event, form=form,
                           current=current), form_status(form)


@bp.get("/certificates/settings/<any(background, seal):which>")
@for_event(*ORGANIZING)
def settings_image(event: Event, which: str):
    current = certificates.settings_for(event)
    data = getattr(current, which)
    if not data:
        abort(404)
    return Response(data, mimetype=getattr(current, f"{which}_type") or "application/octet-stream")


@bp.get("/certificates/settings/sample.pdf")
@for_event(*ORGANIZING)
def sample(event: Event):
    data = certificates.sample(event, certificates.settings_for(event), _base_url())
    return Response(data, mimetype="application/pdf")


@bp.post("/certificates/generate")
@for_event(*ORGANIZING)
def generate(event: Event):
    form = _batch_form(event)
    if not form.validate_on_submit():
        flash(_("Choose what to print."), "error")
        return redirect(url_for(".index", event_code=event.code))
    try:
        job = certificates.start_job(
            event, current_user, trade=optional_trade_or_404(event, form.trade.data),
            delegation=delegation_or_404(event, form.delegation.data),
            kind=form.kind.data or None, fmt=form.format.data, base_url=_base_url())
    except certificates.GlyphsMissing as missing:
        return render_template("exports/glyphs.html", event=event, problems=missing.problems,
                               refused=True), 422
    except (Invalid, NotAllowed) as refusal:
        flash_refusal(refusal)
        return redirect(url_for(".index", event_code=event.code))
    return redirect(url_for(".job", event_code=event.code, job_id=job.id))


def _job(event: Event, job_id: int) -> Job:
    job = jobs.event_job(event, job_id)
    if job is None:
        abort(404)
    return job


def _job_error(job: Job) -> str:
    """Why the job failed, in the reader's language when it is one of ours."""
    problem = (job.result or {}).get("problem")
    if problem:
        return Problem(problem["message"], problem.get("params") or {}).render(_)
    return job.error


def _job_state(event: Event, job: Job) -> dict:
    return {"status": str(job.status), "done": job.done, "total": job.total,
            "error": _job_error(job) if job.status == JobStatus.FAILED else "",
            "download": url_for(".download", event_code=event.code, job_id=job.id)
            if job.status == JobStatus.DONE and job.kind == JobKind.CERTIFICATES else None}


@bp.get("/jobs/<int:job_id>")
@for_event(*ORGANIZING)
def job(event: Event, job_id: int):
    found = _job(event, job_id)
    is_import = found.kind == JobKind.IMPORT
    finished = found.status in (JobStatus.DONE, JobStatus.FAILED)
    return render_template(
        "exports/job.html", event=event, job=found, state=_job_state(event, found),
        importer=imports.IMPORTERS.get(found.params.get("kind")) if is_import else None,
        report=imports.job_report(found) if is_import and finished else None,
        passwords_waiting=is_import and bool(found.secret)
        and found.created_by_id == current_user.id,
        workers=jobs.workers_listening() if found.status == JobStatus.QUEUED else None)


@bp.get("/jobs/<int:job_id>/progress")
@for_event(*ORGANIZING)
def job_progress(event: Event, job_id: int):
    response = jsonify(_job_state(event, _job(event, job_id)))
    response.cache_control.no_store = True
    return response


@bp.post("/jobs/<int:job_id>/retry")
@for_event(*ORGANIZING)
def retry_job(event: Event, job_id: int):
    found = _job(event, job_id)
    attempt(lambda: jobs.retry(found), _("The job was started again."))
    return redirect(url_for(".job", event_code=event.code, job_id=job_id))


@bp.post("/jobs/<int:job_id>/passwords")
@for_event(*ORGANIZING)
def job_passwords(event: Event, job_id: int):
    """The initial passwords of an import job, shown once (they are dropped as they are)."""
    found = _job(event, job_id)
    try:
        credentials = imports.take_credentials(found, current_user)
    except NotAllowed as refusal:
        flash_refusal(refusal)
        return redirect(url_for(".job", event_code=event.code, job_id=job_id))
    response = make_response(render_template(
        "setup/credentials.html", event=event, credentials=credentials,
        sheet=judges.credentials_sheet(credentials)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/jobs/<int:job_id>/download")
@for_event(*ORGANIZING)
def download(event: Event, job_id: int):
    found = _job(event, job_id)
    path = certificates.job_file(found)
    if path is None:
        abort(404)
    return send_file(path, mimetype=MIME.get(path.suffix.lstrip("."), "application/octet-stream"),
                     as_attachment=True, download_name=found.download_name)


@bp.post("/certificates/issue")
@for_event(*ORGANIZING)
def issue(event: Event):
    attempt(lambda: certificates.issue(event, current_user),
            lambda report: _("%(issued)s certificates issued, %(kept)s unchanged, "
                             "%(revoked)s revoked.", issued=report.issued, kept=report.kept,
                             revoked=report.revoked))
    return redirect(url_for(".certificate_list", event_code=event.code))


@bp.get("/certificates")
@for_event(*READING)
def certificate_list(event: Event):
    trade = optional_trade_or_404(event, request.args.get("trade"))
    query = certificates.search(event, request.args.get("q", ""), request.args.get("status", ""),
                                request.args.get("kind", ""), trade)
    page = db.paginate(query, page=page_number(), per_page=current_app.config["PAGE_SIZE"],
                       error_out=False)
    return render_template("exports/certificates.html", event=event, page=page,
                           trades=_trades(event), organizing=organizes(current_user.role))


@bp.get("/certificates/glyphs")
@for_event(*ORGANIZING)
def glyphs(event: Event):
    return render_template("exports/glyphs.html", event=event, refused=False,
                           problems=certificates.event_glyph_problems(event, _base_url()))
