"""Award rules: one event default, optionally overridden per trade, stored as
:class:`~competition.models.AwardRule` and given to the results engine as
:class:`competition.domain.awards.AwardRule`."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from competition.domain import awards as award_rules
from competition.extensions import db
from competition.models import AwardRule, Event, Trade
from competition.services.errors import Invalid, committing
from competition.services.setup.common import apply

# --- award rules -------------------------------------------------------------------------------

RULE_FIELDS = ("method", "labels", "quota_first", "quota_second", "quota_third", "ratio_first",
               "ratio_second", "ratio_third", "ratio_rounding", "tie_window", "excellence",
               "excellence_threshold", "minimum_score", "small_field", "titles")
SMALL_FIELD = [[6, 3], [5, 2], [4, 1]]


def event_rule(event: Event) -> AwardRule:
    """The event's default rule; the built-in default (places 1/2/3, not saved) for an event
    that has none yet. Reading never writes: saving the form stores it."""
    rule = db.session.scalar(sa.select(AwardRule).where(AwardRule.event_id == event.id,
                                                        AwardRule.trade_id.is_(None)))
    return rule or default_rule(event)


def default_rule(event: Event) -> AwardRule:
    """Places 1/2/3 named as medals, nothing else: the rule a new event starts with."""
    return AwardRule(event_id=event.id, trade_id=None, method="places", labels="medals",
                     quota_first=1, quota_second=1, quota_third=1,
                     ratio_first=Decimal("0.1"), ratio_second=Decimal("0.2"),
                     ratio_third=Decimal("0.3"), ratio_rounding="half_up",
                     tie_window=Decimal(2), excellence="none", excellence_threshold=None,
                     minimum_score=None, small_field=None, titles=[])


def trade_rule(trade: Trade) -> AwardRule | None:
    """The trade's own override, if it has one."""
    return db.session.scalar(sa.select(AwardRule).where(AwardRule.trade_id == trade.id))


def effective_rule(trade: Trade) -> AwardRule:
    return trade_rule(trade) or event_rule(trade.event)


def rule_form_data(form_data: dict) -> dict:
    """Turn the award rule form's data into the stored fields (percentages → fractions)."""
    data = {k: form_data[k] for k in RULE_FIELDS if k in form_data and k not in ("small_field", "titles")}
    for key in ("ratio_first", "ratio_second", "ratio_third"):
        data[key] = Decimal(data[key]) / 100
    data["small_field"] = SMALL_FIELD if form_data.get("small_field") else None
    data["titles"] = [
        {"name_zh": t["name_zh"], "name_en": t.get("name_en") or "", "up_to_place": t["up_to_place"]}
        for t in form_data.get("titles", []) if t.get("name_zh") and t.get("up_to_place")
    ]
    return data


def to_domain(rule: AwardRule) -> award_rules.AwardRule:
    """The stored rule as the results engine's rule."""
    return award_rules.AwardRule(
        method=award_rules.Method(rule.method),
        quotas=(rule.quota_first, rule.quota_second, rule.quota_third),
        ratios=(rule.ratio_first, rule.ratio_second, rule.ratio_third),
        ratio_rounding=rule.ratio_rounding,
        tie_window=rule.tie_window,
        excellence=None if rule.excellence == "none" else rule.excellence,
        excellence_threshold=rule.excellence_threshold,
        minimum_score=rule.minimum_score,
        small_field=tuple(tuple(pair) for pair in rule.small_field) if rule.small_field else None,
        titles=tuple(award_rules.TitleRule(t["name_zh"], int(t["up_to_place"]))
                     for t in rule.titles or ()),
        labels=rule.labels,
    )


def save_rule(event: Event, trade: Trade | None, data: dict) -> AwardRule:
    """Save the event's default rule (trade None) or a trade's override, if the engine accepts it.
    Published results keep the awards (and their names) they were published with: the rule
    reaches a published trade's public results with its next amendment."""
    record = (trade_rule(trade) if trade else event_rule(event)) or AwardRule(
        event_id=event.id, trade_id=trade.id)
    probe = AwardRule(**{k: data[k] for k in RULE_FIELDS})
    problems = award_rules.validate_rule(to_domain(probe))
    if problems:
        raise Invalid({None: problems[0]})
    with committing():
        apply(record, data, RULE_FIELDS)
        db.session.add(record)
    return record


def drop_override(trade: Trade) -> None:
    if (rule := trade_rule(trade)) is not None:
        with committing():
            db.session.delete(rule)



def rule_as_form_data(rule: AwardRule) -> dict:
    """The stored rule as the award rule form shows it (fractions → percentages)."""
    data = {k: getattr(rule, k) for k in RULE_FIELDS}
    for key in ("ratio_first", "ratio_second", "ratio_third"):
        data[key] = (data[key] or Decimal(0)) * 100
    data["small_field"] = bool(rule.small_field)
    titles = list(rule.titles or [])
    data["titles"] = titles + [{}] * max(0, 2 - len(titles))
    return data


