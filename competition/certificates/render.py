"""Certificates as PDF: one A4 landscape page per certificate, many certificates per file.

Plain data in (:class:`CertificateData`), PDF bytes out; no database, no Flask. The caller checks
names with :func:`check_glyphs` before printing (a character the font lacks would otherwise be
printed as nothing); :func:`render_certificates` refuses such a certificate rather than print it.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from competition.certificates.fonts import missing_glyphs, register_fonts
from competition.certificates.layouts import LAYOUTS, Assets, draw_image
from competition.certificates.style import PAGE_HEIGHT, PAGE_WIDTH, SEAL_DIAMETER
from competition.certificates.wording import TITLES
from competition.domain.messages import N_, Problem

KINDS = tuple(TITLES)
LANGUAGES = ("zh", "zh_en")

__all__ = [
    "LAYOUTS",
    "CertificateData",
    "MissingGlyphs",
    "check_glyphs",
    "render_certificates",
    "render_one",
]


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate, already in the words that are printed."""

    number: str  # e.g. "HN2026-0012-0001"
    kind: str  # "award" | "title" | "participation"
    event_name: str
    contestant_name: str
    delegation: str
    trade: str
    award_text: str  # "一等奖", "金牌", "技术能手", "参赛证书"
    date_text: str  # "2026年11月25日"
    organizer: str
    verify_url: str
    language: str = "zh"  # "zh" | "zh_en" (English lines beneath the Chinese)
    event_name_en: str | None = None
    award_text_en: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {self.kind!r}")
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {self.language!r}")

    def printed_text(self) -> str:
        """All the data that ends up on the page (the fixed wording is checked by the tests)."""
        fields = [
            self.number, self.event_name, self.contestant_name, self.delegation, self.trade,
            self.award_text, self.date_text, self.organizer,
        ]
        if self.language == "zh_en":
            fields += [self.event_name_en or "", self.award_text_en or ""]
        return "\n".join(fields)


class MissingGlyphs(ValueError):
    """A certificate uses characters the font cannot print; ``problem`` says which."""

    def __init__(self, number: str, chars: str):
        self.problem = Problem(
            N_("Certificate %(number)s cannot be printed: the font has no glyph for %(chars)s."),
            {"number": number, "chars": chars},
        )
        super().__init__(self.problem.render())


def _missing(cert: CertificateData) -> str:
    return "".join(sorted(missing_glyphs(cert.printed_text())))


def check_glyphs(certs: Iterable[CertificateData]) -> list[tuple[str, str]]:
    """(certificate number, characters the font lacks) for each certificate that has any, so a
    rare character in a name (𠮷, 䶮) is found before printing rather than silently dropped."""
    return [(cert.number, chars) for cert in certs if (chars := _missing(cert))]


def _image(data: bytes | None) -> ImageReader | None:
    return ImageReader(io.BytesIO(data)) if data else None


def render_certificates(
    certs: Iterable[CertificateData],
    out: BinaryIO,
    layout: str = "classic",
    background: bytes | None = None,
    seal: bytes | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write one page per certificate to ``out`` and return the number of pages.

    ``certs`` is consumed one at a time and ``progress(pages_so_far)`` is called after each page.
    The background (full page, under everything) and the seal (a PNG with transparency, stamped
    over the organizer's name) are decoded once and embedded once, however many pages use them.
    Raises :class:`MissingGlyphs` at the first certificate the font cannot print; writes nothing
    if ``certs`` is empty."""
    try:
        design = LAYOUTS[layout]
    except KeyError:
        raise ValueError(f"layout must be one of {tuple(LAYOUTS)}, not {layout!r}") from None
    font = register_fonts()
    assets = Assets(font, _image(background), _image(seal))
    canvas = Canvas(
        out, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), initialFontName=font, pageCompression=1
    )
    canvas.setCreator("competition certificates")
    frame, stamp = f"frame-{design.name}", "seal"
    pages = 0
    for cert in certs:
        if chars := _missing(cert):
            raise MissingGlyphs(cert.number, chars)
        if not pages:
            canvas.setTitle(cert.event_name)
            # Drawn once as PDF forms, shown on every page.
            canvas.beginForm(frame)
            design.frame(canvas, assets)
            canvas.endForm()
            if assets.seal:
                canvas.beginForm(stamp)
                draw_image(canvas, assets.seal, *design.seal_centre, SEAL_DIAMETER)
                canvas.endForm()
        canvas.doForm(frame)
        design.page(canvas, cert, assets)
        if assets.seal:
            canvas.doForm(stamp)
        canvas.showPage()
        pages += 1
        if progress:
            progress(pages)
    if pages:
        canvas.save()
    return pages


def render_one(
    cert: CertificateData,
    layout: str = "classic",
    background: bytes | None = None,
    seal: bytes | None = None,
) -> bytes:
    """One certificate as the bytes of a one-page PDF."""
    out = io.BytesIO()
    render_certificates([cert], out, layout, background, seal)
    return out.getvalue()
