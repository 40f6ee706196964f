"""Setting up an event: delegations, trades, marking schemes, award rules.

Each function validates what the form cannot know (uniqueness within the event, the state of the
trade), changes the database and commits; a refusal is raised as :class:`Invalid` or
:class:`NotAllowed` with nothing saved. Modules: ``events`` (the event, delegations, trades, their
lists, the dashboard), ``schemes`` (criteria and aspects), ``award_rules``.
"""

from competition.services.setup.award_rules import (
    RULE_FIELDS,
    drop_override,
    effective_rule,
    event_rule,
    rule_as_form_data,
    rule_form_data,
    save_rule,
    to_domain,
    trade_rule,
)
from competition.services.setup.events import (
    categories,
    delegation_rows,
    delete_delegation,
    delete_trade,
    find_trade,
    overview,
    save_delegation,
    save_event,
    save_trade,
    trade_page,
)
from competition.services.setup.schemes import (
    delete_scheme_part,
    save_aspect,
    save_criterion,
    scheme_problems,
)

__all__ = [
    "RULE_FIELDS", "categories", "delegation_rows", "delete_delegation", "delete_scheme_part",
    "delete_trade", "drop_override", "effective_rule", "event_rule", "find_trade", "overview",
    "rule_as_form_data", "rule_form_data", "save_aspect", "save_criterion", "save_delegation",
    "save_event", "save_rule", "save_trade", "scheme_problems", "to_domain", "trade_page",
    "trade_rule",
]
