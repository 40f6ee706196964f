"""Certificate designs: each draws one A4 landscape page for one certificate.

A design has a *frame* (background image, borders, ornaments: the same on every page, drawn once
into a PDF form and reused) and a *page* (the certificate's own words, its QR code). Text that comes
from data is fitted to its box with ``stringWidth``: a long name or trade shrinks, it never runs
over the border. The seal is stamped last, over the organizer's name, as a real seal is.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import segno
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

if TYPE_CHECKING:
    from competition.certificates.render import CertificateData

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
W, H = PAGE_WIDTH, PAGE_HEIGHT

# The palette: seal red, deep red, gold, pale gold, ink, grey, cream paper, QR black.
RED, DEEP_RED, GOLD, PALE_GOLD, INK, GREY, CREAM, QR_INK = map(HexColor, (
    "#B5121B", "#8E0E14", "#C49A3A", "#E8D3A0", "#262626", "#6B6B6B", "#FCF7EC", "#000000"))

SEAL_DIAMETER = 119  # 4.2 cm, the size of an official organisation's seal

TITLES = {"award": "获奖证书", "title": "荣誉证书", "participation": "参赛证书"}
TITLES_EN = {
    "award": "Certificate of Award",
    "title": "Certificate of Honour",
    "participation": "Certificate of Participation",
}


@dataclass(frozen=True)
class Assets:
    """What every page of one run shares: the font, and the images decoded once."""

    font: str
    background: ImageReader | None = None
    seal: ImageReader | None = None


# --- text -------------------------------------------------------------------------------------


def text_width(text: str, font: str, size: float, space: float = 0.0) -> float:
    """Width of ``text`` drawn with ``space`` points between characters (none after the last)."""
    return stringWidth(text, font, size) + space * max(len(text) - 1, 0)


def fit(text: str, font: str, size: float, width: float, space: float = 0.0):
    """The largest (size, space) not above the given ones at which ``text`` fits in ``width``."""
    if text_width(text, font, size, space) <= width:
        return size, space
    plain = stringWidth(text, font, size)
    if space and plain <= width:
        return size, (width - plain) / (len(text) - 1)
    return size * width / plain * 0.999, 0.0


def draw_text(
    c: Canvas,
    x: float,
    y: float,
    text: str,
    font: str,
    size: float,
    color: Color = INK,
    align: str = "left",
    space: float = 0.0,
    bold: bool = False,
    max_width: float | None = None,
) -> float:
    """Draw one line of text; returns the size used (smaller than ``size`` if shrunk to fit)."""
    if max_width is not None:
        size, space = fit(text, font, size, max_width, space)
    width = text_width(text, font, size, space)
    if align == "centre":
        x -= width / 2
    elif align == "right":
        x -= width
    t = c.beginText(x, y)
    t.setFont(font, size)
    t.setFillColor(color)
    # Character spacing outlives the text object in PDF: always set it.
    t.setCharSpace(space)
    if bold:
        # The font has one weight; fill plus a thin outline of the same colour thickens it.
        # The render mode is graphics state, so q/Q keeps it from leaking into later text.
        c.saveState()
        c.setLineWidth(size * 0.028)
        t.setStrokeColor(color)
        t.setTextRenderMode(2)
    t.textOut(text)
    c.drawText(t)
    if bold:
        c.restoreState()
    return size


@dataclass(frozen=True)
class Run:
    """A stretch of paragraph text in one style; ``scale`` is relative to the paragraph size."""

    text: str
    scale: float = 1.0
    color: Color = INK
    bold: bool = False
    keep: bool = False  # kept on one line unless longer than a whole line


@dataclass(frozen=True)
class Para:
    runs: Sequence[Run]
    indent: float = 0.0  # in ems, first line only (Chinese paragraphs indent two characters)
    align: str = "left"  # "left", "centre" or "justify"


@dataclass
class _Line:
    pieces: list[tuple[float, str, Run]] = field(default_factory=list)
    width: float = 0.0
    size: float = 0.0
    align: str = "left"


_CLOSING = "，。、；：？！）》」』”’,.;:!?)%"
_OPENING = "“‘《「『（("
# A Latin word or one other character, with opening punctuation glued before and closing
# punctuation glued after, so no line starts with "，" or ends with "《".
_TOKEN = re.compile(
    rf"[{_OPENING}]*(?:[A-Za-z0-9][A-Za-z0-9\-'’&/]*|[^\s{_OPENING}])[{_CLOSING}]*|\s+"
)


def wrap(paras: Sequence[Para], font: str, size: float, width: float) -> list[list[_Line]]:
    """Break paragraphs into lines no wider than ``width``: CJK breaks between any two
    characters, Latin at spaces, and a run marked ``keep`` only if longer than a line."""
    wrapped = []
    for para in paras:
        lines = [_Line(width=para.indent * size, align=para.align)]
        for run in para.runs:
            for token in [run.text] if run.keep else _TOKEN.findall(run.text):
                _add_token(lines, token, run, para.align, font, size, width)
        _trim_lines(lines, font, size)
        wrapped.append(lines)
    return wrapped


def _add_token(lines: list[_Line], token: str, run: Run, align: str, font: str, size: float,
               width: float) -> None:
    """Set one token of ``run`` after the last of ``lines``, starting new lines as needed: a
    space is dropped at the start of a line and where it would overflow one."""
    run_size = size * run.scale
    if token.isspace():
        token = " "
        if not lines[-1].pieces:
            return
    token_width = stringWidth(token, font, run_size)
    if lines[-1].pieces and lines[-1].width + token_width > width:
        if token == " ":
            return
        lines.append(_Line(align=align))
    for chunk, chunk_width in _split_to_width(
        token, font, run_size, width - lines[-1].width, width, token_width
    ):
        if chunk is None:
            lines.append(_Line(align=align))
            continue
        _add_piece(lines[-1], chunk, chunk_width, run, run_size)


def _add_piece(line: _Line, chunk: str, chunk_width: float, run: Run, run_size: float) -> None:
    """Append text to a line, joined to the last piece when that is of the same run."""
    if line.pieces and line.pieces[-1][2] is run:
        px, joined, _ = line.pieces.pop()
        line.pieces.append((px, joined + chunk, run))
    else:
        line.pieces.append((line.width, chunk, run))
    line.width += chunk_width
    line.size = max(line.size, run_size)


def _trim_lines(lines: list[_Line], font: str, size: float) -> None:
    """Drop each line's trailing spaces (and their width); an empty line gets the base size."""
    for line in lines:
        if line.pieces and line.pieces[-1][1].endswith(" "):
            px, text, run = line.pieces.pop()
            line.pieces.append((px, text.rstrip(" "), run))
            line.width = px + stringWidth(text.rstrip(" "), font, size * run.scale)
        line.size = line.size or size


def _split_to_width(token: str, font: str, size: float, room: float, full: float, width: float):
    """Yield (text, width) pieces of a token, with ``(None, 0)`` where a new line must start.
    Only a token wider than a whole line (``full``) is ever split inside."""
    if width <= room:
        yield token, width
        return
    piece = ""
    for ch in token:
        if piece and stringWidth(piece + ch, font, size) > room:
            yield piece, stringWidth(piece, font, size)
            yield None, 0
            piece, room = "", full
        piece += ch
    yield piece, stringWidth(piece, font, size)


def draw_paragraphs(
    c: Canvas,
    paras: Sequence[Para],
    font: str,
    size: float,
    box: tuple[float, float, float, float],
    leading: float = 1.8,
    para_gap: float = 0.35,
    valign: str = "top",
) -> float:
    """Draw paragraphs inside ``box`` (x, y, width, height), shrinking the size until they fit.
    Returns the size used."""
    x, y, width, height = box
    while True:
        wrapped = wrap(paras, font, size, width)
        total = sum(line.size * leading for lines in wrapped for line in lines)
        total += para_gap * size * (len(wrapped) - 1)
        if total <= height or size < 4:
            break
        size *= 0.94
    top = y + height - (height - total) / 2 if valign == "middle" else y + height
    for lines in wrapped:
        for i, line in enumerate(lines):
            line_height = line.size * leading
            baseline = top - line_height + (line_height - line.size) / 2 + line.size * 0.12
            offset = (width - line.width) / 2 if line.align == "centre" else 0
            chars = sum(len(text) for _, text, _ in line.pieces)
            # Chinese text is set flush on both sides: every line but a paragraph's last is
            # stretched by spacing its characters evenly; a line left short by a run kept
            # whole stays ragged rather than gappy.
            stretch = (
                line.align == "justify" and i < len(lines) - 1 and chars > 1
                and width - line.width <= 1.5 * size
            )
            space = (width - line.width) / (chars - 1) if stretch else 0.0
            before = 0
            for px, text, run in line.pieces:
                draw_text(
                    c, x + offset + px + space * before, baseline, text, font,
                    size * run.scale, run.color, space=space, bold=run.bold,
                )
                before += len(text)
            top -= line_height
        top -= para_gap * size
    return size


# --- QR code ----------------------------------------------------------------------------------


def qr_runs(url: str) -> tuple[int, list[tuple[int, int, int]]]:
    """The QR code for ``url`` as (modules per side, dark runs as (row, column, length))."""
    matrix = segno.make(url, error="m", micro=False).matrix
    runs = []
    for r, row in enumerate(matrix):
        col = 0
        for dark, group in itertools.groupby(row):
            length = len(list(group))
            if dark:
                runs.append((r, col, length))
            col += length
    return len(matrix), runs


def draw_qr(c: Canvas, url: str, x: float, y: float, size: float, quiet: int = 2) -> None:
    """Draw the QR code of ``url`` as one vector path on a white square with a quiet zone.

    One filled path (a rectangle per horizontal run of dark modules, in module units) is several
    times faster than reportlab's QR widget, and leaves no hairline seams between modules."""
    modules, runs = qr_runs(url)
    unit = size / (modules + 2 * quiet)
    c.setFillColor(white)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.saveState()
    c.translate(x + quiet * unit, y + size - quiet * unit)
    c.scale(unit, -unit)
    c.setFillColor(QR_INK)
    # Integer module coordinates written directly: the path API's float formatting would be
    # most of the time spent on a page.
    c.addLiteral(" ".join(f"{col} {row} {length} 1 re" for row, col, length in runs) + " f")
    c.restoreState()


# --- what a certificate says ------------------------------------------------------------------


def bilingual(cert: CertificateData) -> bool:
    return cert.language == "zh_en"


def body_zh(cert: CertificateData, highlight: Color = RED) -> list[Para]:
    """The Chinese citation: addressee, what was achieved, and the closing formula."""
    opening = [
        Run("代表 "), Run(cert.delegation, bold=True, keep=True), Run(" 参加 "),
        Run(cert.event_name, bold=True), Run(" "), Run(cert.trade, bold=True, keep=True),
    ]
    if cert.kind == "award":
        achieved = [
            Run(" 赛项比赛，荣获 "), Run(cert.award_text, 1.25, highlight, True, True), Run("。"),
        ]
        closing = "特发此证，以资鼓励。"
    elif cert.kind == "title":
        achieved = [
            Run(" 赛项比赛，成绩优异，被授予"),
            Run(f"“{cert.award_text}”", 1.25, highlight, True, True),
            Run("称号。"),
        ]
        closing = "特发此证，以资鼓励。"
    else:
        achieved = [Run(" 赛项比赛。")]
        closing = "特发此证。"
    return [
        Para([Run(cert.contestant_name, 1.35, INK, True, True), Run(" 同志：")]),
        Para(opening + achieved, indent=2, align="justify"),
        Para([Run(closing)], indent=2),
    ]


def body_en(cert: CertificateData, scale: float = 0.75) -> Para:
    """The English citation printed beneath the Chinese one on bilingual certificates."""
    event = cert.event_name_en or cert.event_name
    award = cert.award_text_en or cert.award_text
    who = f"This is to certify that {cert.contestant_name} of {cert.delegation} "
    where = f"in the {cert.trade} competition of the {event}"
    if cert.kind == "award":
        text = f"{who}has won {award} {where}."
    elif cert.kind == "title":
        text = f"{who}has been granted the title of {award} {where}."
    else:
        text = f"{who}has participated {where}."
    return Para([Run(text, scale, GREY)])


def number_label(cert: CertificateData) -> str:
    return "证书编号 No. " if bilingual(cert) else "证书编号："


def verify_label(cert: CertificateData) -> str:
    return "扫码查验证书真伪 Scan to verify" if bilingual(cert) else "扫描二维码查验证书真伪"


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
