"""Choosing and printing certificates: a batch (a trade, a delegation or the event; one kind or
all) as one PDF or a ZIP of one PDF per person. Names the font cannot print are refused before
anything is printed (:class:`GlyphsMissing`)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from competition.certificates.render import CertificateData, check_glyphs, render_certificates, render_one
from competition.domain.certificates import CertificateKind
from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.models import Certificate, CertificateSettings, Delegation, Event, Trade, User
from competition.services.authority import require_organizer
from competition.services.certificates.issuing import issue
from competition.services.certificates.settings import settings_for
from competition.services.certificates.verification import verify_url
from competition.services.errors import NotAllowed

NOTHING_TO_PRINT = N_("No valid certificate matches this choice: publish the results first, or "
                      "choose another trade, delegation or kind.")
PARTICIPATION_OFF = N_("Participation certificates are switched off in the certificate settings.")


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
    require_organizer(user, event.id)
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
