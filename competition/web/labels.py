"""Names of choices and awards on pages, in the reader's language, from the one table of labels
(``competition.domain.labels``). Registered as template globals by ``competition.web``."""

from __future__ import annotations

from flask_babel import get_locale, gettext

from competition.domain import labels


def _locale() -> str:
    return str(get_locale() or "zh")


def label(table: str, value) -> str:
    """``label("ROLES", user.role)``: the name of a value in one of the label tables."""
    names = getattr(labels, table)
    message = names.get(value) if value is not None else None
    return gettext(message) if message else ""


def label_options(table: str) -> list[tuple[str, str]]:
    """(value, name) of every value of a label table, for a filter's select."""
    return [(str(value), gettext(message)) for value, message in getattr(labels, table).items()]


def entry_type_name(trade) -> str:
    return labels.entry_type_text(trade.entry_type, trade.team_size, gettext)


def status_text(status) -> str:
    """"" for an entrant who competes, else "Withdrawn", "Absent" or "Disqualified"."""
    return labels.status_text(status, gettext)


def order_name(order: str, award_names: str) -> str:
    return labels.order_text(order, award_names, gettext)


def tier_name(tier: int, award_names: str) -> str:
    return labels.tier_text(tier, award_names, gettext)


def award_text(line, award_names: str, locale: str | None = None, titles: bool = True) -> str:
    """The award of a result line: "Gold · 河南省技术能手", "First prize", "Excellence", or ""."""
    locale = locale or _locale()
    return labels.award_text(line.tier, line.excellence,
                             (t.name(locale) for t in line.titles) if titles else (),
                             award_names, gettext)


def award_code(line, award_names: str) -> str | None:
    return labels.award_code(line.tier, line.excellence, award_names)


def template_globals() -> dict:
    return {"label": label, "label_options": label_options, "entry_type_name": entry_type_name,
            "status_text": status_text, "tier_name": tier_name, "order_name": order_name,
            "award_text": award_text, "award_code": award_code}
