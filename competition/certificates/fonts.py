"""The CJK font certificates are printed in, and the check that a name can be printed in it.

reportlab embeds only TrueType fonts (its built-in CID fonts are not embedded and show as empty
boxes on machines without Chinese fonts; Noto CJK ships as CFF/OTF, which it cannot read). We ship
WenQuanYi Micro Hei in ``static/fonts/`` so every PDF carries its own glyphs, and fall back to a
WenQuanYi or AR PL font installed on the system if the shipped file is absent.

A character the font lacks is printed as nothing at all, so names are checked with
:func:`missing_glyphs` before printing.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "CertificateCJK"
SHIPPED_FONT = Path(__file__).resolve().parents[2] / "static" / "fonts" / "wqy-microhei.ttc"
SYSTEM_FONT_DIR = Path("/usr/share/fonts")
# Most preferred first; all TrueType (a .ttc's first face is used).
FALLBACK_FONTS = ("wqy-microhei.ttc", "wqy-zenhei.ttc", "uming.ttc", "ukai.ttc")

_lock = threading.Lock()


def font_path() -> Path:
    """The font file to embed: the shipped one, else the first fallback found on the system."""
    if SHIPPED_FONT.is_file():
        return SHIPPED_FONT
    for name in FALLBACK_FONTS:
        found = sorted(SYSTEM_FONT_DIR.rglob(name)) if SYSTEM_FONT_DIR.is_dir() else []
        if found:
            return found[0]
    raise FileNotFoundError(
        f"No TrueType CJK font: expected {SHIPPED_FONT} or one of {FALLBACK_FONTS} "
        f"under {SYSTEM_FONT_DIR}"
    )


def register_fonts() -> str:
    """Register the certificate font with reportlab (once per process) and return its name."""
    with _lock:
        if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path()), subfontIndex=0))
    return FONT_NAME


def missing_glyphs(text: str) -> set[str]:
    """The characters of ``text`` the certificate font has no glyph for (whitespace excepted)."""
    cmap = pdfmetrics.getFont(register_fonts()).face.charToGlyph
    # A character mapped to glyph 0 (.notdef) is as missing as one not mapped at all.
    return {ch for ch in text if not ch.isspace() and not cmap.get(ord(ch))}
