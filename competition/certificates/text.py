"""Setting text on a certificate: fitting a line to its box, and wrapping paragraphs of Chinese
and English (runs of differing size, colour and weight) with the line-breaking rules of both."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from competition.certificates.style import INK


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
