"""Scaling: turning a trade's raw totals into the scores that are ranked and published.

Chosen per event or trade. **raw** (default) keeps the totals. The **WorldSkills scale** puts
every trade on a common scale centred on 700 (DOMAIN.md, "Marking").
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

WORLDSKILLS_CENTRE = 700
WORLDSKILLS_SPREAD = Decimal(30)
MAD_TO_SIGMA = Decimal("1.4826")


class Scaling(StrEnum):
    RAW = "raw"
    WORLDSKILLS = "worldskills"


def worldskills_scale(totals: Mapping[int, Decimal]) -> dict[int, int]:
    """WorldSkills scale per entrant: 700 + 30 × (x − median) / (1.4826 × MAD), rounded half up
    to a whole number, where MAD = median(|x − median|) over the trade's entrants.

    A median of an even count is the mean of the two middle values. When MAD = 0 (at least half
    the entrants share the median total) everyone gets 700. No totals, no scores. The scale is
    monotone: a higher raw total never gets a lower scaled score.
    """
    if not totals:
        return {}
    median = statistics.median(totals.values())
    mad = statistics.median(abs(x - median) for x in totals.values())
    if mad == 0:
        return dict.fromkeys(totals, WORLDSKILLS_CENTRE)
    unit = MAD_TO_SIGMA * mad
    return {
        entrant: int(
            (WORLDSKILLS_CENTRE + WORLDSKILLS_SPREAD * (x - median) / unit).quantize(
                Decimal(1), rounding=ROUND_HALF_UP
            )
        )
        for entrant, x in totals.items()
    }


def apply_scaling(method: Scaling, totals: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """The final score per entrant under ``method``: the raw total unchanged, or the WorldSkills
    scaled score as a whole-number Decimal."""
    if method is Scaling.RAW:
        return dict(totals)
    return {entrant: Decimal(score) for entrant, score in worldskills_scale(totals).items()}
