"""How marks and scores are written for people: as typed, without trailing zeros."""

from __future__ import annotations

from decimal import Decimal


def format_mark(value: Decimal | None) -> str:
    """A stored mark as a judge would type it: 7.5, 8, 0.25 (no trailing zeros); "" for none."""
    if value is None:
        return ""
    return format(Decimal(value).normalize(), "f")


def format_score(value: Decimal | None) -> str:
    """A total or score as published: 87.5, 92, 700 (no trailing zeros), "" for none."""
    text = format_mark(value)
    return "0" if text in ("-0", "0") else text
