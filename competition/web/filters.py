"""Template filters: marks and scores as people write them, times in the reader's time zone,
problems in the reader's language, and masked personal numbers."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import format_datetime, gettext

from competition.domain.idcard import mask_id
from competition.domain.numbers import format_mark, format_score
from competition.domain.oversight import out_of_line
from competition.domain.people import mask_phone

SEVERITY_FULL_BAR = Decimal(25)
"""The mean deviation (percent) that fills a severity bar."""


def datetime_local(value) -> str:
    return format_datetime(value, "yyyy-MM-dd HH:mm:ss") if value else ""


def problem(found) -> str:
    """A service's Problem in the reader's language."""
    return found.render(gettext)


def bar_width(deviation: Decimal) -> int:
    """How much of a severity bar a judge's mean deviation fills, in percent."""
    return int(min(abs(Decimal(deviation)) * 100 / SEVERITY_FULL_BAR, Decimal(100)))


FILTERS = {"mark": format_mark, "score": format_score, "datetime_local": datetime_local,
           "problem": problem, "mask_id": mask_id, "mask_phone": mask_phone,
           "bar_width": bar_width, "out_of_line": out_of_line}
