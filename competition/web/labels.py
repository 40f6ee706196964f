"""Names of choices and awards on pages, in the reader's language, from the one table of labels
(``competition.domain.labels``). Registered as template globals by ``competition.web``."""

from __future__ import annotations

from flask_babel import get_locale, gettext

from competition.domain import labels
from competition.domain.aggregation import AspectKind, mark_range, uses_aggregation
from competition.domain.names import pick
from competition.domain.numbers import format_mark


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


def aspect_range(aspect) -> str:
    """What an aspect's column says a mark may be: "0–3" for a judgement, "≤ 10" otherwise."""
    low, high = mark_range(aspect.kind, aspect.max_mark)
    return f"{format_mark(low)}–{format_mark(high)}" if aspect.kind == AspectKind.JUDGEMENT \
        else f"≤ {format_mark(high)}"


def aspect_range_max(aspect) -> str:
    """The highest mark an aspect takes, for the sheet's own check in the browser."""
    return format_mark(mark_range(aspect.kind, aspect.max_mark)[1])


def aggregation_name(aspect) -> str:
    """How a panel-mark aspect combines the judges' marks ("Trimmed mean (1)"); "" for the
    other kinds, which have no choice."""
    if not uses_aggregation(aspect.kind):
        return ""
    name = label("AGGREGATIONS", aspect.aggregation)
    return f"{name} ({aspect.trimmed_count})" if aspect.aggregation == "trimmed_mean" else name


def rule_summary(rule) -> str:
    """An award rule in one paragraph, as the set-up pages show it."""
    parts = [{
        "places": lambda: gettext("Places 1, 2, 3 receive the three awards."),
        "quotas": lambda: gettext("%(a)s first, %(b)s second and %(c)s third awards.",
                                  a=rule.quota_first, b=rule.quota_second, c=rule.quota_third),
        "ratios": lambda: gettext("%(a)s%% / %(b)s%% / %(c)s%% of the ranked entrants.",
                                  **{k: round(float(v) * 100, 1) for k, v in
                                     (("a", rule.ratio_first), ("b", rule.ratio_second),
                                      ("c", rule.ratio_third))}),
    }.get(rule.method, lambda: gettext("WorldSkills tie window of %(w)s points.",
                                       w=str(rule.tie_window)))()]
    parts.append(gettext("Named as prizes.") if rule.labels == "prizes"
                 else gettext("Named as medals."))
    if rule.excellence == "top_half":
        parts.append(gettext("Excellence to the top half without a medal."))
    elif rule.excellence == "threshold":
        parts.append(gettext("Excellence from %(s)s points.", s=str(rule.excellence_threshold)))
    if rule.minimum_score is not None:
        parts.append(gettext("No award below %(s)s points.", s=str(rule.minimum_score)))
    if rule.small_field:
        parts.append(gettext("Fewer awards in small fields."))
    parts.extend(gettext("Title %(name)s to places 1–%(n)s.", name=t["name_zh"],
                         n=t["up_to_place"]) for t in rule.titles or ())
    return " ".join(parts)


def template_globals() -> dict:
    return {"label": label, "label_options": label_options, "entry_type_name": entry_type_name,
            "status_text": status_text, "tier_name": tier_name, "order_name": order_name,
            "award_text": award_text, "award_code": award_code, "aspect_range": aspect_range,
            "aspect_range_max": aspect_range_max,
            "aggregation_name": aggregation_name, "rule_summary": rule_summary, "pick": pick}
