"""How an award and a status are named, in the user's language, on pages, the API and the CLI."""

from __future__ import annotations

from decimal import Decimal
from typing import Callable

from flask import Blueprint
from flask_babel import gettext

from competition.domain.awards import EXCELLENCE_LABEL, Tier, tier_label
from competition.domain.messages import N_

TIER_CODES = {"medals": ("gold", "silver", "bronze"),
              "prizes": ("first_prize", "second_prize", "third_prize")}
STATUS_LABELS = {"registered": "", "withdrawn": N_("Withdrawn"), "absent": N_("Absent"),
                 "disqualified": N_("Disqualified")}


def award_code(line, labels: str) -> str | None:
    """A stable code for the API: gold/silver/bronze, first_prize/…, excellence, or None."""
    if line.tier:
        return TIER_CODES.get(labels, TIER_CODES["medals"])[line.tier - 1]
    return "excellence" if line.excellence else None


def award_text(line, labels: str, locale: str = "zh", translate: Callable = gettext,
               titles: bool = True) -> str:
    """The award as a reader sees it: "Gold · 河南省技术能手", "Excellence", or ""."""
    parts = []
    if line.tier:
        parts.append(translate(tier_label(Tier(line.tier), labels)))
    elif line.excellence:
        parts.append(translate(EXCELLENCE_LABEL))
    if titles:
        parts.extend(title.name(locale) for title in line.titles)
    return " · ".join(parts)


def status_text(status: str, translate: Callable = gettext) -> str:
    """"" for a registered entrant, else "Withdrawn", "Absent" or "Disqualified"."""
    label = STATUS_LABELS.get(str(status), "")
    return translate(label) if label else ""


def tier_name(tier: int, labels: str, translate: Callable = gettext) -> str:
    return translate(tier_label(Tier(tier), labels))


def format_score(value: Decimal | None) -> str:
    """A total or score as published: 87.5, 92, 700 (no trailing zeros), "" for none."""
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "0") else text


def register(bp: Blueprint) -> None:
    """Make the helpers available to every template once the blueprint is registered."""
    for helper in (award_code, award_text, status_text, tier_name):
        bp.add_app_template_global(helper)
    bp.add_app_template_filter(format_score, "score")
