"""The judge's score record (评分记录表) as PDF: A4 portrait, a table of every mark one judge
holds in one trade, then the signature block for the judge and the chief judge.

Plain data in (:class:`RecordData`, already in the words that are printed), PDF bytes out; no
database, no Flask. Headings and the signature block are in the reader's language through the
``translate`` function passed in (the message ids are marked with ``N_``). The font is the
certificates' CJK TrueType font (:func:`competition.certificates.fonts.register_fonts`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from competition.certificates.fonts import register_fonts
from competition.certificates.style import GREY, INK
from competition.certificates.text import draw_text
from competition.domain.messages import N_

TITLE = N_("Score record")
EVENT = N_("Event")
TRADE = N_("Trade")
JUDGE = N_("Judge")
USERNAME = N_("Username")
CODE = N_("Code")
NUMBER = N_("Number")
ENTRANT = N_("Entrant")
ASPECT = N_("Aspect")
MARK = N_("Mark")
WHEN = N_("When")
REASON = N_("Reason")
NONE = N_("No marks entered.")
JUDGE_SIGNATURE = N_("Judge's signature:")
CHIEF_SIGNATURE = N_("Chief judge's signature:")
DATE = N_("Date:")
PAGE = N_("Page %(n)s of %(total)s")

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 42
SIZE = 9
LEADING = 12
PAD = 3
SIGNATURE_SPACE = 110


@dataclass(frozen=True)
class RecordLine:
    """One mark: the entrant's label (code or number), name (empty under blind judging), the
    aspect (``CRITERION/ASPECT``) and its description, the mark, when and why last changed."""

    label: str
    name: str
    aspect: str
    description: str
    mark: str
    entered: str
    reason: str = ""


@dataclass(frozen=True)
class RecordData:
    event: str
    trade: str
    judge: str
    username: str
    blind: bool
    lines: list[RecordLine] = field(default_factory=list)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (at any character: Chinese has no
    spaces to break at); at least one line."""
    lines, current = [], ""
    for ch in text:
        if ch == "\n" or (current and stringWidth(current + ch, font, size) > width):
            lines.append(current)
            current = "" if ch == "\n" else ch
        else:
            current += ch
    return [*lines, current]


def _columns(blind: bool, translate) -> list[tuple[str, float]]:
    """(heading, width) of the table's columns; the widths fill the page between the margins."""
    usable = PAGE_WIDTH - 2 * MARGIN
    lead = [(translate(CODE), 50)] if blind else [(translate(NUMBER), 40), (translate(ENTRANT), 80)]
    rest = [(translate(ASPECT), 0), (translate(MARK), 40), (translate(WHEN), 100),
            (translate(REASON), 90)]
    fixed = sum(w for _h, w in lead + rest)
    return lead + [(rest[0][0], usable - fixed)] + rest[1:]


def _cells(line: RecordLine, blind: bool) -> list[str]:
    lead = [line.label] if blind else [line.label, line.name]
    return lead + [f"{line.aspect} {line.description}".strip(), line.mark, line.entered, line.reason]


class _Pages:
    """The canvas and the pen's height; a new page repeats the table's heading."""

    def __init__(self, c: Canvas, font: str, columns, heading):
        self.c, self.font, self.columns, self.heading = c, font, columns, heading
        self.y = PAGE_HEIGHT - MARGIN

    def row(self, cells: list[str], bold: bool = False) -> None:
        wrapped = [wrap(text, self.font, SIZE, width - 2 * PAD)
                   for text, (_h, width) in zip(cells, self.columns)]
        height = max(len(w) for w in wrapped) * LEADING + 2 * PAD
        if self.y - height < MARGIN + 20:
            self.new_page()
            self.header()
        x = MARGIN
        for lines, (_h, width) in zip(wrapped, self.columns):
            self.c.rect(x, self.y - height, width, height, stroke=1, fill=0)
            for n, text in enumerate(lines):
                draw_text(self.c, x + PAD, self.y - PAD - (n + 1) * LEADING + 3, text, self.font,
                          SIZE, bold=bold)
            x += width
        self.y -= height

    def header(self) -> None:
        self.row([h for h, _w in self.columns], bold=True)

    def new_page(self) -> None:
        self.c.showPage()
        self.c.setStrokeColor(INK)
        self.c.setLineWidth(0.5)
        self.y = PAGE_HEIGHT - MARGIN
        draw_text(self.c, MARGIN, self.y - 10, self.heading, self.font, SIZE, GREY)
        self.y -= 20


class _NumberedCanvas(Canvas):
    """A canvas that writes "page n of total" on every page once the total is known."""

    def __init__(self, *args, page_text=None, font="", **kwargs):
        super().__init__(*args, **kwargs)
        self._saved: list[dict] = []
        self._page_text, self._font = page_text, font

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved)
        for n, state in enumerate(self._saved, 1):
            self.__dict__.update(state)
            draw_text(self, PAGE_WIDTH / 2, MARGIN / 2, self._page_text(n, total), self._font,
                      8, GREY, align="centre")
            super().showPage()
        super().save()


def render_record(data: RecordData, translate) -> bytes:
    """The score record as PDF bytes (see the module docstring)."""
    font = register_fonts()
    out = io.BytesIO()
    c = _NumberedCanvas(out, pagesize=A4, font=font,
                        page_text=lambda n, total: translate(PAGE) % {"n": n, "total": total})
    c.setTitle(f"{translate(TITLE)} {data.trade} {data.username}")
    c.setStrokeColor(INK)
    c.setLineWidth(0.5)
    heading = f"{translate(TITLE)} · {data.trade} · {data.judge} ({data.username})"
    pages = _Pages(c, font, _columns(data.blind, translate), heading)
    draw_text(c, PAGE_WIDTH / 2, pages.y - 18, translate(TITLE), font, 18, align="centre",
              bold=True, max_width=PAGE_WIDTH - 2 * MARGIN)
    pages.y -= 40
    for label, value in ((EVENT, data.event), (TRADE, data.trade),
                         (JUDGE, f"{data.judge}    {translate(USERNAME)}: {data.username}")):
        draw_text(c, MARGIN, pages.y - 10, f"{translate(label)}: {value}", font, 10,
                  max_width=PAGE_WIDTH - 2 * MARGIN)
        pages.y -= 16
    pages.y -= 6
    pages.header()
    for line in data.lines:
        pages.row(_cells(line, data.blind))
    if not data.lines:
        pages.y -= 8
        draw_text(c, MARGIN, pages.y - 10, translate(NONE), font, 10, GREY)
        pages.y -= 16
    if pages.y - SIGNATURE_SPACE < MARGIN:
        pages.new_page()
    for label in (JUDGE_SIGNATURE, CHIEF_SIGNATURE):
        pages.y -= 44
        draw_text(c, MARGIN, pages.y, f"{translate(label)} ____________________    "
                  f"{translate(DATE)} ______________", font, 11)
    c.showPage()
    c.save()
    return out.getvalue()
