"""The certificate page: A4 landscape, its palette and the size of a seal."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
W, H = PAGE_WIDTH, PAGE_HEIGHT

# The palette: seal red, deep red, gold, pale gold, ink, grey, cream paper, QR black.
RED, DEEP_RED, GOLD, PALE_GOLD, INK, GREY, CREAM, QR_INK = map(HexColor, (
    "#B5121B", "#8E0E14", "#C49A3A", "#E8D3A0", "#262626", "#6B6B6B", "#FCF7EC", "#000000"))

SEAL_DIAMETER = 119  # 4.2 cm, the size of an official organisation's seal
