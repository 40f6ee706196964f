"""Certificate designs: each draws one A4 landscape page for one certificate.

A design has a *frame* (background image, borders, ornaments: the same on every page, drawn once
into a PDF form and reused) and a *page* (the certificate's own words, its QR code). Text that comes
from data is fitted to its box with ``stringWidth``: a long name or trade shrinks, it never runs
over the border. The seal is stamped last, over the organizer's name, as a real seal is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib.colors import Color, white
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from competition.certificates.qr import draw_qr
from competition.certificates.style import (
    CREAM,
    DEEP_RED,
    GOLD,
    GREY,
    INK,
    PALE_GOLD,
    RED,
    H,
    W,
)
from competition.certificates.text import Para, Run, draw_paragraphs, draw_text, text_width
from competition.certificates.wording import (
    TITLES,
    TITLES_EN,
    bilingual,
    body_en,
    body_zh,
    number_label,
    verify_label,
)

if TYPE_CHECKING:
    from competition.certificates.render import CertificateData


@dataclass(frozen=True)
class Assets:
    """What every page of one run shares: the font, and the images decoded once."""

    font: str
    background: ImageReader | None = None
    seal: ImageReader | None = None


# --- text -------------------------------------------------------------------------------------


def draw_signature(c: Canvas, cert: CertificateData, assets: Assets, cx: float, y: float) -> None:
    """Organizer and date, centred on ``cx`` (the seal is centred on the same point). Joint
    organizers separated by spaces or line breaks go one per line when they do not fit on one."""
    width, size = 280, 17
    names = cert.organizer.split()
    if text_width(" ".join(names), assets.font, size) <= width:
        names = [" ".join(names)]
    for i, name in enumerate(reversed(names)):
        draw_text(c, cx, y + i * size * 1.35, name, assets.font, size, INK, "centre",
                  max_width=width)
    draw_text(c, cx, y - 28, cert.date_text, assets.font, 15, INK, "centre", max_width=width)


def draw_image(c: Canvas, image: ImageReader, cx: float, cy: float, size: float) -> None:
    """Draw an image centred on (cx, cy) within a ``size`` square, keeping its proportions and
    its transparency."""
    c.drawImage(
        image, cx - size / 2, cy - size / 2, size, size,
        mask="auto", preserveAspectRatio=True, anchor="c",
    )


# --- designs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """One design: ``frame`` draws what every page shares, ``page`` one certificate's content,
    and the seal is centred on ``seal_centre``."""

    name: str
    frame: Callable[[Canvas, Assets], None]
    page: Callable[[Canvas, CertificateData, Assets], None]
    seal_centre: tuple[float, float]


def _corner(c: Canvas, x: float, y: float, sx: int, sy: int) -> None:
    """A gold fret (回纹) ornament in one corner; ``sx``/``sy`` mirror it into that corner."""
    c.saveState()
    c.translate(x, y)
    c.scale(sx, sy)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.4)
    path = c.beginPath()
    path.moveTo(0, 46)
    path.lineTo(0, 0)
    path.lineTo(46, 0)
    path.moveTo(8, 30)
    path.lineTo(8, 8)
    path.lineTo(30, 8)
    path.lineTo(30, 18)
    path.lineTo(18, 18)
    path.lineTo(18, 30)
    path.close()
    c.drawPath(path, stroke=1, fill=0)
    c.setFillColor(RED)
    c.rect(11.5, 11.5, 3.5, 3.5, stroke=0, fill=1)
    c.restoreState()


def _diamond_rule(c: Canvas, cx: float, y: float, half: float, color: Color = GOLD) -> None:
    """A thin rule with a small diamond in its middle."""
    c.setStrokeColor(color)
    c.setFillColor(color)
    c.setLineWidth(0.9)
    c.line(cx - half, y, cx - 9, y)
    c.line(cx + 9, y, cx + half, y)
    path = c.beginPath()
    path.moveTo(cx, y + 4.5)
    path.lineTo(cx + 5.5, y)
    path.lineTo(cx, y - 4.5)
    path.lineTo(cx - 5.5, y)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


def _paper(c: Canvas, assets: Assets, colour: Color) -> None:
    """The sheet in the design's colour, under the organizer's background image if any."""
    c.setFillColor(colour)
    c.rect(0, 0, W, H, stroke=0, fill=1)
    if assets.background:
        c.drawImage(assets.background, 0, 0, W, H, mask="auto")


def _classic_frame(c: Canvas, assets: Assets) -> None:
    _paper(c, assets, CREAM)
    c.setStrokeColor(RED)
    c.setLineWidth(9)
    c.rect(20, 20, W - 40, H - 40, stroke=1, fill=0)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.6)
    c.rect(31, 31, W - 62, H - 62, stroke=1, fill=0)
    c.setLineWidth(0.6)
    c.rect(35, 35, W - 70, H - 70, stroke=1, fill=0)
    inset = 44
    _corner(c, inset, inset, 1, 1)
    _corner(c, W - inset, inset, -1, 1)
    _corner(c, inset, H - inset, 1, -1)
    _corner(c, W - inset, H - inset, -1, -1)


CLASSIC_SIGNATURE = (W - 205, 122)


def _classic_page(c: Canvas, cert: CertificateData, assets: Assets) -> None:
    font = assets.font
    draw_text(c, W / 2, H - 125, TITLES[cert.kind], font, 50, RED, "centre", 20, True)
    if bilingual(cert):
        draw_text(c, W / 2, H - 154, TITLES_EN[cert.kind].upper(), font, 12.5, GOLD, "centre", 3)
        _diamond_rule(c, W / 2, H - 170, 150)
    else:
        _diamond_rule(c, W / 2, H - 158, 150)

    paras = body_zh(cert)
    if bilingual(cert):
        paras.append(body_en(cert))
    draw_paragraphs(c, paras, font, 21, (120, 185, W - 240, H - 190 - 185), valign="middle")

    draw_signature(c, cert, assets, *CLASSIC_SIGNATURE)

    draw_qr(c, cert.verify_url, 62, 60, 78)
    draw_text(c, 148, 96, number_label(cert) + cert.number, font, 10, INK, max_width=260)
    draw_text(c, 148, 79, verify_label(cert), font, 8.5, GREY, max_width=260)


BAND = 212  # width of the modern design's red band


def _modern_frame(c: Canvas, assets: Assets) -> None:
    _paper(c, assets, white)
    c.setFillColor(DEEP_RED)
    c.rect(0, 0, BAND, H, stroke=0, fill=1)
    c.setFillColor(RED)
    c.rect(BAND - 26, 0, 26, H, stroke=0, fill=1)
    c.setFillColor(GOLD)
    c.rect(BAND, 0, 5, H, stroke=0, fill=1)
    c.setStrokeColor(PALE_GOLD)
    c.setLineWidth(0.6)
    c.rect(22, 22, BAND - 60, H - 44, stroke=1, fill=0)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.8)
    c.rect(BAND + 22, 22, W - BAND - 44, H - 44, stroke=1, fill=0)


MODERN_SIGNATURE = (W - 175, 108)


def _modern_page(c: Canvas, cert: CertificateData, assets: Assets) -> None:
    font = assets.font
    en = bilingual(cert)
    band_centre = (BAND - 38) / 2 + 22

    # The title stands in the band, one character under another, as on a scroll.
    for i, ch in enumerate(TITLES[cert.kind]):
        draw_text(c, band_centre, H - 112 - i * 64, ch, font, 46, white, "centre", bold=True)
    if en:
        draw_text(c, band_centre, H - 340, TITLES_EN[cert.kind], font, 9, PALE_GOLD, "centre",
                  max_width=BAND - 78)
    draw_qr(c, cert.verify_url, band_centre - 44, 66, 88)
    draw_text(c, band_centre, 50, "扫码验证 Verify" if en else "扫码验证", font, 9, PALE_GOLD,
              "centre")

    left = BAND + 62
    right = W - 60
    draw_text(c, right, H - 58, number_label(cert) + cert.number, font, 9.5, GREY, "right",
              max_width=right - left)
    draw_text(c, left, H - 100, cert.event_name, font, 19, DEEP_RED, bold=True,
              max_width=right - left)
    y = H - 100
    if en and cert.event_name_en:
        y -= 20
        draw_text(c, left, y, cert.event_name_en, font, 10.5, GREY, max_width=right - left)
    c.setFillColor(GOLD)
    c.rect(left, y - 22, 64, 3, stroke=0, fill=1)

    draw_text(c, left, H - 178, "兹证明  This is to certify that" if en else "兹证明", font, 12,
              GREY)
    draw_text(c, left, H - 232, cert.contestant_name, font, 46, INK, bold=True,
              max_width=right - left)
    draw_text(c, left, H - 262, cert.delegation, font, 15, GREY, max_width=right - left)

    column = (right - left) / 2
    label = {"award": "奖项", "title": "称号", "participation": "类别"}[cert.kind]
    label_en = {"award": "AWARD", "title": "TITLE", "participation": "CATEGORY"}[cert.kind]
    draw_text(c, left, H - 318, "赛项 SKILL" if en else "赛项", font, 10.5, GOLD, space=1)
    draw_text(c, left + column, H - 318, f"{label} {label_en}" if en else label, font, 10.5,
              GOLD, space=1)
    c.setStrokeColor(PALE_GOLD)
    c.setLineWidth(0.7)
    c.line(left, H - 326, right, H - 326)
    draw_text(c, left, H - 362, cert.trade, font, 22, INK, bold=True, max_width=column - 20)
    draw_text(c, left + column, H - 364, cert.award_text, font, 30, RED, bold=True,
              max_width=column)
    if en and cert.award_text_en:
        draw_text(c, left + column, H - 384, cert.award_text_en, font, 11, GREY,
                  max_width=column)

    closing = "特发此证，以资鼓励。" if cert.kind != "participation" else "特发此证。"
    paras = [Para([Run(closing)])]
    if en:
        paras.append(body_en(cert, 0.8))
    draw_paragraphs(c, paras, font, 13, (left, 100, right - left - 250, 95), leading=1.6)

    draw_signature(c, cert, assets, *MODERN_SIGNATURE)


LAYOUTS: dict[str, Layout] = {
    "classic": Layout("classic", _classic_frame, _classic_page, CLASSIC_SIGNATURE),
    "modern": Layout("modern", _modern_frame, _modern_page, MODERN_SIGNATURE),
}
