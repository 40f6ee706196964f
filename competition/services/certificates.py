"""Certificates: issuing them from published results, verifying them, and printing batches.

- :func:`issue` keeps the certificates of a trade (or of every trade of an event) in step with
  the latest published version: one certificate per person and award (each member of a winning
  team gets their own), per title, and, when the event prints them, per participant. An
  unchanged award keeps its certificate and number; an award changed or removed by an amendment
  revokes the certificate with the amendment's reason, and a person still awarded gets a new
  certificate with a new number that replaces the old one. Running it twice changes nothing.
- :func:`verify` answers the public verification page: valid, revoked (and by what), or unknown.
- :func:`start_job` prints a batch (a trade, a delegation or the event; one kind or all) as one
  PDF or a ZIP of one PDF per person. Names the font cannot print are refused before anything
  is printed (:class:`GlyphsMissing`). The printing runs in a background thread with its
  progress in an :class:`ExportJob` row, so any worker can report it and no request waits.

Numbers look like ``HN2026-0007-0012``: the event's code, the trade's sequence in the event (its
place in the order trades were created, fixed at its first certificate) and a running number
within the trade. Numbers are never reused.
"""

from __future__ import annotations

import io
import logging
import re
import secrets
import threading
import time
import warnings
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import force_locale, gettext
from PIL import Image, UnidentifiedImageError
from sqlalchemy.orm import joinedload, selectinload

from competition.certificates.layouts import TITLES, TITLES_EN
from competition.certificates.render import (LAYOUTS, CertificateData, check_glyphs,
                                             render_certificates, render_one)
from competition.domain.awards import EXCELLENCE_LABEL, Tier, tier_label
from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.models import (Certificate, CertificateKind, CertificateSettings, Delegation,
                                Event, ExportJob, JobStatus, ResultLine, ResultVersion, Trade,
                                User)
from competition.models.base import utcnow
from competition.services import results
from competition.services.errors import Invalid, NotAllowed, committing
from competition.services.results_workbook import latest_published

log = logging.getLogger("competition.certificates")

LANGUAGES = ("zh", "zh_en")
FORMATS = ("pdf", "zip")
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # e.g. 8000 × 5000: an A4 page at 600 dpi is about 35 million
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg"}
PROGRESS_SECONDS = 0.5  # how often a running job writes its progress
NUMBER_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,60}$")
RESULTS_CHANGED = "成绩变更 / Results changed"
ISSUE_RACE = N_("Certificates of this event were being issued at the same time; try again.")
NOTHING_TO_PRINT = N_("No valid certificate matches this choice: publish the results first, or "
                      "choose another trade, delegation or kind.")
PARTICIPATION_OFF = N_("Participation certificates are switched off in the certificate settings.")


# --- plain data ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class IssueReport:
    """What :func:`issue` did."""

    issued: int = 0
    kept: int = 0
    revoked: int = 0


@dataclass(frozen=True)
class Verification:
    """The answer of the verification page: ``state`` is valid, revoked or unknown; a revoked
    certificate names the certificate that replaced it (the latest valid one), if any."""

    state: str
    number: str
    certificate: Certificate | None = None
    replacement: Certificate | None = None


@dataclass(frozen=True)
class GlyphProblem:
    """A certificate the font cannot print: whose, and which characters are missing."""

    number: str
    name: str
    delegation: str
    trade: str
    chars: str


class GlyphsMissing(Exception):
    """The batch holds names (or wording) the font lacks: nothing was printed."""

    def __init__(self, problems: list[GlyphProblem]):
        super().__init__(f"{len(problems)} certificates cannot be printed")
        self.problems = problems


@dataclass(frozen=True)
class _Wanted:
    """A certificate the latest published results call for."""

    contestant_id: int
    kind: CertificateKind
    award_zh: str
    award_en: str
    name: str
    competitor_number: str
    delegation_id: int
    delegation_name_zh: str
    delegation_name_en: str

    @property
    def key(self) -> tuple:
        return (self.contestant_id, self.kind, self.award_zh)


# --- settings -----------------------------------------------------------------------------------

def settings_for(event: Event) -> CertificateSettings:
    """The event's certificate settings; the defaults (not saved) if it has none yet."""
    found = db.session.scalar(sa.select(CertificateSettings)
                              .where(CertificateSettings.event_id == event.id))
    return found or CertificateSettings(event_id=event.id, layout="classic", language="zh",
                                        participation=False, organizer_text="", date_text="",
                                        background_type="", seal_type="")


def check_image(data: bytes, field: str) -> tuple[bytes, str]:
    """``data`` if it is a PNG or JPEG image of bounded size, with its MIME type as Pillow
    found it (the file's name and declared type are never trusted); Invalid otherwise."""
    def refuse(message: str, **params) -> Invalid:
        return Invalid({field: Problem(message, params)})

    if not data:
        raise refuse(N_("The file is empty."))
    if len(data) > MAX_IMAGE_BYTES:
        raise refuse(N_("The image is larger than %(mb)s MB."), mb=MAX_IMAGE_BYTES // (1024 * 1024))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                if kind not in IMAGE_TYPES:
                    raise refuse(N_("Upload a PNG or JPEG image."))
                if width * height > MAX_IMAGE_PIXELS:
                    raise refuse(N_("The image has too many pixels (at most %(n)s million)."),
                                 n=MAX_IMAGE_PIXELS // 1_000_000)
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Invalid:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, SyntaxError, ValueError, EOFError):
        raise refuse(N_("Upload a PNG or JPEG image.")) from None
    return data, IMAGE_TYPES[kind]


def save_settings(event: Event, user: User | None, *, layout: str, language: str,
                  participation: bool, organizer_text: str, date_text: str,
                  background: bytes | None = None, seal: bytes | None = None,
                  drop_background: bool = False, drop_seal: bool = False) -> CertificateSettings:
    """Change the event's certificate settings; uploaded images are checked first."""
    results._require_organizer(user, event)
    problems = {}
    if layout not in LAYOUTS:
        problems["layout"] = Problem(N_("Choose a layout."))
    if language not in LANGUAGES:
        problems["language"] = Problem(N_("Choose a language."))
    images = {}
    for field, data in (("background", background), ("seal", seal)):
        if data is not None:
            try:
                images[field] = check_image(data, field)
            except Invalid as refusal:
                problems.update(refusal.problems)
    if problems:
        raise Invalid(problems)
    with committing():
        settings = settings_for(event)
        db.session.add(settings)
        settings.layout, settings.language = layout, language
        settings.participation = participation
        settings.organizer_text = organizer_text.strip()[:200]
        settings.date_text = date_text.strip()[:100]
        for field, drop in (("background", drop_background), ("seal", drop_seal)):
            if field in images:
                setattr(settings, field, images[field][0])
                setattr(settings, f"{field}_type", images[field][1])
            elif drop:
                setattr(settings, field, None)
                setattr(settings, f"{field}_type", "")
    return settings


# --- issuing ------------------------------------------------------------------------------------

def _label(tier: int | None, excellence: bool, labels: str, locale: str) -> str:
    with force_locale(locale):
        if tier:
            return gettext(tier_label(Tier(tier), labels))
        return gettext(EXCELLENCE_LABEL) if excellence else ""


def _wanted(version: ResultVersion, lines: Iterable[ResultLine],
            participation: bool) -> list[_Wanted]:
    """The certificates a published version calls for, in the order of its lines."""
    found = []
    for line in lines:
        award = None
        if line.tier or line.excellence:
            award = (_label(line.tier, line.excellence, version.labels, "zh"),
                     _label(line.tier, line.excellence, version.labels, "en"))
        for member in line.members or ():
            contestant_id = member.get("contestant_id")
            if contestant_id is None:
                continue
            person = dict(contestant_id=contestant_id, name=member["name"][:100],
                          competitor_number=(member.get("number") or "")[:20],
                          delegation_id=line.delegation_id,
                          delegation_name_zh=line.delegation_name_zh,
                          delegation_name_en=line.delegation_name_en)
            if award:
                found.append(_Wanted(kind=CertificateKind.AWARD, award_zh=award[0],
                                     award_en=award[1], **person))
            for title in line.titles or ():
                found.append(_Wanted(kind=CertificateKind.TITLE, award_zh=title["zh"][:200],
                                     award_en=(title.get("en") or "")[:200], **person))
            if participation and line.status == "registered":
                found.append(_Wanted(kind=CertificateKind.PARTICIPATION,
                                     award_zh=TITLES["participation"],
                                     award_en=TITLES_EN["participation"], **person))
    return found


class _Numbers:
    """Hands out trade sequences and running numbers, continuing from those in the database."""

    def __init__(self, event: Event):
        self.event = event
        rows = db.session.execute(
            sa.select(Certificate.trade_id, sa.func.min(Certificate.trade_sequence),
                      sa.func.max(Certificate.serial))
            .where(Certificate.event_id == event.id).group_by(Certificate.trade_id)).all()
        self.sequence = {trade_id: sequence for trade_id, sequence, _ in rows}
        self.serial = {trade_id: serial for trade_id, _, serial in rows}
        order = db.session.scalars(sa.select(Trade.id).where(Trade.event_id == event.id)
                                   .order_by(Trade.id)).all()
        self.position = {trade_id: n for n, trade_id in enumerate(order, start=1)}

    def next(self, trade_id: int) -> tuple[int, int, str]:
        if trade_id not in self.sequence:
            wanted = self.position.get(trade_id, 1)
            taken = set(self.sequence.values())
            self.sequence[trade_id] = wanted if wanted not in taken else max(taken) + 1
        serial = self.serial.get(trade_id, 0) + 1
        self.serial[trade_id] = serial
        sequence = self.sequence[trade_id]
        return sequence, serial, f"{self.event.code}-{sequence:04d}-{serial:04d}"


def issue(target: Event | Trade, user: User | None = None) -> IssueReport:
    """Bring the certificates of ``target`` (a trade, or every trade of an event) in step with
    their latest published versions (see the module docstring). ``user`` None is the command
    line. Idempotent; trades never published have no certificates."""
    event = target if isinstance(target, Event) else target.event
    results._require_organizer(user, event)
    settings = settings_for(event)
    with committing(Problem(ISSUE_RACE)):
        # One issuer per event at a time (PostgreSQL); SQLite serialises writers anyway.
        db.session.execute(sa.select(Event.id).where(Event.id == event.id).with_for_update())
        trade_ids = None if isinstance(target, Event) else [target.id]
        published = latest_published(event, trade_ids)
        existing: dict[int, list[Certificate]] = defaultdict(list)
        query = sa.select(Certificate).where(Certificate.event_id == event.id,
                                             Certificate.revoked_at.is_(None))
        if trade_ids is not None:
            query = query.where(Certificate.trade_id.in_(trade_ids))
        for cert in db.session.scalars(query.order_by(Certificate.id)):
            existing[cert.trade_id].append(cert)
        trades = {t.id: t for t in db.session.scalars(
            sa.select(Trade).where(Trade.id.in_(list(published))))} if published else {}
        numbers = _Numbers(event)
        counts = [0, 0, 0]
        for trade_id in sorted(published, key=lambda i: numbers.position.get(i, i)):
            version, lines = published[trade_id]
            report = _sync_trade(trades[trade_id], version, lines, existing[trade_id],
                                 settings.participation, numbers)
            counts = [a + b for a, b in zip(counts, report)]
    return IssueReport(*counts)


def _sync_trade(trade: Trade, version: ResultVersion, lines: list[ResultLine],
                existing: list[Certificate], participation: bool,
                numbers: _Numbers) -> tuple[int, int, int]:
    desired = {w.key: w for w in _wanted(version, lines, participation)}
    reason = version.reason if version.is_amendment and version.reason else RESULTS_CHANGED
    now = utcnow()
    kept = revoked = 0
    freed: dict[tuple, list[Certificate]] = defaultdict(list)
    for cert in existing:
        if cert.kind == CertificateKind.PARTICIPATION and not participation:
            continue  # switching participation off later does not void what was printed
        wanted = desired.get((cert.contestant_id, cert.kind, cert.award_zh))
        if wanted and (wanted.name, wanted.delegation_name_zh) == (cert.name,
                                                                   cert.delegation_name_zh):
            del desired[wanted.key]
            kept += 1
            continue
        cert.revoked_at, cert.revoked_reason = now, reason[:500]
        freed[(cert.contestant_id, cert.kind)].append(cert)
        revoked += 1
    for wanted in desired.values():
        sequence, serial, number = numbers.next(trade.id)
        replaced = freed.get((wanted.contestant_id, wanted.kind))
        db.session.add(Certificate(
            number=number, event_id=trade.event_id, trade_id=trade.id, trade_sequence=sequence,
            serial=serial, contestant_id=wanted.contestant_id, delegation_id=wanted.delegation_id,
            kind=wanted.kind, award_zh=wanted.award_zh, award_en=wanted.award_en,
            name=wanted.name, competitor_number=wanted.competitor_number,
            delegation_name_zh=wanted.delegation_name_zh,
            delegation_name_en=wanted.delegation_name_en,
            trade_name_zh=trade.name_zh, trade_name_en=trade.name_en or "",
            result_version_id=version.id, issued_at=now,
            replaces=replaced.pop(0) if replaced else None))
    return len(desired), kept, revoked


# --- verification -------------------------------------------------------------------------------

def normalise_number(number: str) -> str:
    return (number or "").strip().upper()[:60]


def verify(number: str) -> Verification:
    """Whether ``number`` is a certificate we issued, and whether it is still valid."""
    number = normalise_number(number)
    if not NUMBER_SHAPE.match(number):
        return Verification("unknown", number)
    cert = db.session.scalar(sa.select(Certificate).where(Certificate.number == number)
                             .options(joinedload(Certificate.event)))
    if cert is None:
        return Verification("unknown", number)
    if cert.is_valid:
        return Verification("valid", number, cert)
    replacement, hops = cert.replaced_by, 0
    while replacement is not None and not replacement.is_valid and hops < 50:
        replacement, hops = replacement.replaced_by, hops + 1
    return Verification("revoked", number, cert, replacement)


def verify_url(base_url: str, number: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{number}"


# --- choosing and printing ----------------------------------------------------------------------

def selection(event: Event, trade: Trade | None = None, delegation: Delegation | None = None,
              kind: str | None = None) -> list[Certificate]:
    """The valid certificates of a batch, in trade order, then number."""
    query = (sa.select(Certificate).where(Certificate.event_id == event.id,
                                          Certificate.revoked_at.is_(None))
             .options(selectinload(Certificate.trade))
             .order_by(Certificate.trade_sequence, Certificate.serial))
    if trade is not None:
        query = query.where(Certificate.trade_id == trade.id)
    if delegation is not None:
        query = query.where(Certificate.delegation_id == delegation.id)
    if kind:
        query = query.where(Certificate.kind == CertificateKind(kind))
    return list(db.session.scalars(query))


def _zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def printed(event: Event, certs: Sequence[Certificate], settings: CertificateSettings,
            base_url: str) -> list[CertificateData]:
    """What is printed on each certificate: the stored names and award, the event's wording."""
    organizer = settings.organizer_text or event.organizer_name or event.name_zh
    when = settings.date_text or _zh_date(event.end_date or date.today())
    return [CertificateData(
        number=c.number, kind=str(c.kind), event_name=event.name_zh, contestant_name=c.name,
        delegation=c.delegation_name_zh, trade=c.trade_name_zh, award_text=c.award_zh,
        date_text=when, organizer=organizer, verify_url=verify_url(base_url, c.number),
        language=settings.language or "zh", event_name_en=event.name_en or None,
        award_text_en=c.award_en or None) for c in certs]


def glyph_problems(certs: Sequence[Certificate], data: Sequence[CertificateData]
                   ) -> list[GlyphProblem]:
    """Each certificate of the batch with characters the font lacks (checked before printing)."""
    by_number = {c.number: c for c in certs}
    return [GlyphProblem(number, by_number[number].name, by_number[number].delegation_name_zh,
                         by_number[number].trade_name_zh, chars)
            for number, chars in check_glyphs(data)]


def _file_part(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", text).strip(" .") or "_"


def write_batch(certs: Sequence[Certificate], data: Sequence[CertificateData], fmt: str,
                settings: CertificateSettings, out: io.BufferedIOBase,
                progress: Callable[[int], None] | None = None) -> int:
    """Write the batch to ``out`` as one PDF, or as a ZIP with one PDF per person (all of a
    person's certificates in it); returns the pages written."""
    # Plain values only from here on: ``progress`` may commit, which expires the ORM objects.
    images = dict(layout=settings.layout or "classic", background=settings.background,
                  seal=settings.seal)
    if fmt == "pdf":
        return render_certificates(data, out, progress=progress, **images)
    people: dict[object, tuple[str, list[int]]] = {}
    for index, cert in enumerate(certs):
        name = f"{_file_part(cert.trade.code)}/" \
               f"{_file_part(cert.competitor_number or cert.number)}-{_file_part(cert.name)}.pdf"
        people.setdefault(cert.contestant_id or cert.number, (name, []))[1].append(index)
    pages = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, indexes in people.values():
            buffer = io.BytesIO()
            pages += render_certificates([data[i] for i in indexes], buffer, **images)
            archive.writestr(name, buffer.getvalue())
            if progress:
                progress(pages)
    return pages


def sample(event: Event, settings: CertificateSettings, base_url: str) -> bytes:
    """A one-page preview of the settings: the event's first valid award certificate, else a
    made-up one."""
    certs = selection(event, kind=CertificateKind.AWARD)[:1]
    if certs:
        data = printed(event, certs, settings, base_url)[0]
    else:
        organizer = settings.organizer_text or event.organizer_name or event.name_zh
        data = CertificateData(
            number=f"{event.code}-0000-0000", kind="award", event_name=event.name_zh,
            contestant_name="张三", delegation="示例代表团", trade="示例赛项", award_text="金牌",
            date_text=settings.date_text or _zh_date(event.end_date or date.today()),
            organizer=organizer, verify_url=verify_url(base_url, f"{event.code}-0000-0000"),
            language=settings.language or "zh", event_name_en=event.name_en or None,
            award_text_en="Gold")
    return render_one(data, settings.layout or "classic", settings.background, settings.seal)


# --- background jobs ----------------------------------------------------------------------------

def exports_dir() -> Path:
    """Where finished batches are kept: EXPORTS_DIR, else instance/exports/."""
    path = Path(current_app.config.get("EXPORTS_DIR") or Path(current_app.instance_path) / "exports")
    path.mkdir(parents=True, exist_ok=True)
    return path


def download_name(event: Event, trade: Trade | None, delegation: Delegation | None,
                  kind: str | None, fmt: str) -> str:
    parts = [event.code, "certificates", *(x for x in (trade and trade.code,
                                                        delegation and delegation.code, kind) if x)]
    return "-".join(parts) + f".{fmt}"


def prepare(event: Event, user: User | None, *, trade: Trade | None = None,
            delegation: Delegation | None = None, kind: str | None = None,
            base_url: str) -> tuple[list[Certificate], list[CertificateData], CertificateSettings]:
    """Issue (sync numbers with the published results), choose the batch and check every name
    against the font: GlyphsMissing lists each certificate the font cannot print, NotAllowed
    when there is nothing to print."""
    results._require_organizer(user, event)
    settings = settings_for(event)
    if kind == CertificateKind.PARTICIPATION and not settings.participation:
        raise NotAllowed(Problem(PARTICIPATION_OFF))
    issue(trade or event, user)
    certs = selection(event, trade, delegation, kind)
    if not certs:
        raise NotAllowed(Problem(NOTHING_TO_PRINT))
    data = printed(event, certs, settings, base_url)
    if problems := glyph_problems(certs, data):
        raise GlyphsMissing(problems)
    return certs, data, settings


def start_job(event: Event, user: User | None, *, trade: Trade | None = None,
              delegation: Delegation | None = None, kind: str | None = None, fmt: str = "pdf",
              base_url: str) -> ExportJob:
    """Check the batch (:func:`prepare`) and print it in a background thread (at once, in this
    thread, when EXPORT_JOBS_SYNC is set); the job row reports progress."""
    if fmt not in FORMATS:
        raise Invalid({"format": Problem(N_("Choose PDF or ZIP."))})
    certs, _data, _settings = prepare(event, user, trade=trade, delegation=delegation, kind=kind,
                                      base_url=base_url)
    with committing():
        job = ExportJob(event_id=event.id, created_by_id=user.id if user else None,
                        params={"trade_id": trade.id if trade else None,
                                "delegation_id": delegation.id if delegation else None,
                                "kind": kind or None, "format": fmt, "base_url": base_url},
                        status=JobStatus.QUEUED, total=len(certs), done=0,
                        download_name=download_name(event, trade, delegation, kind, fmt))
        db.session.add(job)
    if current_app.config.get("EXPORT_JOBS_SYNC"):
        run_job(job.id)
    else:
        threading.Thread(target=_run_in_thread, name=f"export-job-{job.id}", daemon=True,
                         args=(current_app._get_current_object(), job.id)).start()
    return job


def _run_in_thread(app: Flask, job_id: int) -> None:
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            db.session.remove()


def _set_job(job_id: int, **values) -> None:
    db.session.execute(sa.update(ExportJob).where(ExportJob.id == job_id).values(**values))
    db.session.commit()


def run_job(job_id: int) -> None:
    """Print a queued job's batch to a file under :func:`exports_dir`, writing its progress to
    the job row every half second; a failure is recorded on the job, never raised."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        return
    _set_job(job_id, status=JobStatus.RUNNING)
    params = dict(job.params)
    try:
        event = db.session.get(Event, job.event_id)
        trade = db.session.get(Trade, params["trade_id"]) if params.get("trade_id") else None
        delegation = db.session.get(Delegation, params["delegation_id"]) \
            if params.get("delegation_id") else None
        certs = selection(event, trade, delegation, params.get("kind"))
        settings = settings_for(event)
        data = printed(event, certs, settings, params["base_url"])
        path = exports_dir() / f"job-{job_id}-{secrets.token_hex(8)}.{params['format']}"
        last = [time.monotonic()]

        def progress(done: int) -> None:
            if time.monotonic() - last[0] >= PROGRESS_SECONDS:
                last[0] = time.monotonic()
                _set_job(job_id, done=done)

        with path.open("wb") as out:
            pages = write_batch(certs, data, params["format"], settings, out, progress)
        _set_job(job_id, status=JobStatus.DONE, done=pages, total=pages, file_name=path.name,
                 finished_at=utcnow())
    except Exception as error:  # recorded for the page to show; the thread must not die silently
        db.session.rollback()
        log.exception("export job %s failed", job_id)
        message = getattr(error, "problem", None)
        _set_job(job_id, status=JobStatus.FAILED, finished_at=utcnow(),
                 error=(message.render() if message else f"{type(error).__name__}: {error}")[:1000])


def job_file(job: ExportJob) -> Path | None:
    """The finished job's file, if it is there."""
    if job.status != JobStatus.DONE or not job.file_name:
        return None
    path = exports_dir() / job.file_name
    return path if path.is_file() else None


def recent_jobs(event: Event, limit: int = 10) -> list[ExportJob]:
    return list(db.session.scalars(sa.select(ExportJob).where(ExportJob.event_id == event.id)
                                   .order_by(ExportJob.id.desc()).limit(limit)))


def search(event: Event, text: str = "", status: str = "", kind: str = "",
           trade: Trade | None = None) -> sa.Select:
    """The query behind the organizers' list of certificates (for pagination)."""
    query = (sa.select(Certificate).where(Certificate.event_id == event.id)
             .options(selectinload(Certificate.replaced_by))
             .order_by(Certificate.trade_sequence, Certificate.serial))
    if text := text.strip():
        like = f"%{text.replace('%', '').replace('_', '')}%"
        query = query.where(sa.or_(Certificate.number.ilike(like), Certificate.name.ilike(like),
                                   Certificate.competitor_number.ilike(like)))
    if status == "valid":
        query = query.where(Certificate.revoked_at.is_(None))
    elif status == "revoked":
        query = query.where(Certificate.revoked_at.is_not(None))
    if kind in {k.value for k in CertificateKind}:
        query = query.where(Certificate.kind == CertificateKind(kind))
    if trade is not None:
        query = query.where(Certificate.trade_id == trade.id)
    return query


def event_glyph_problems(event: Event, base_url: str) -> list[GlyphProblem]:
    """Every valid certificate of the event the font cannot print (the organizers' report)."""
    certs = selection(event)
    return glyph_problems(certs, printed(event, certs, settings_for(event), base_url))
