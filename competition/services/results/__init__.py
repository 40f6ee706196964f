"""Results: provisional results from the marks, publication, amendments, the embargo, the medal
table, the public view of it all and the results workbook.

This ``__init__`` is the package's only door; its modules are:

- ``lines``: results as plain data (what pages, the API, the workbook and the CLI show).
- ``provisional``: :func:`compute` derives a trade's results from its marks (scaling, tie-break
  chain, effective award rule, with the pure rules of ``competition.domain``); organizers,
  supervisors and the trade's chief judge see them through :func:`provisional`.
- ``publication``: :func:`publish` freezes them as version 1, with the trade's public facts
  (names, demonstration flag, how awards and the medal table are named); :func:`add_amendment`
  adds a later version with its reason, without committing (``services.publishing`` amends,
  certificates included); versions are never changed. An event-level embargo hides everything
  until :func:`release`.
- ``published``: reading published versions; the public readers answer nothing under embargo;
  what a published trade's set-up now says differently from its published facts.
- ``medals``: the medal table from the latest published versions of the trades they published
  as competition trades.
- ``cache``: the cache of public data (Redis when configured, else per process), keyed by the
  results version, and :func:`results_changed`, the one function that retires it (bumping
  ``Event.results_version`` in the same transaction).
- ``workbook``: the results workbook of an event or a delegation.
"""

from competition.services.results.cache import results_changed
from competition.services.results.lines import (
    Amendment,
    CriterionHead,
    EventPublication,
    Line,
    MedalLine,
    Member,
    PublishedTrade,
    Title,
    TradeResults,
    TradeState,
    line_from_row,
)
from competition.services.results.medals import medal_labels, medal_table, public_medal_table
from competition.services.results.provisional import can_see_provisional, compute, provisional
from competition.services.results.publication import (
    PUBLISH_RACE,
    add_amendment,
    publish,
    publish_all,
    release,
    set_criterion_marks_public,
    set_embargo,
)
from competition.services.results.published import (
    is_public,
    latest_public,
    latest_published,
    public_delegation,
    public_trade,
    published,
    published_under_rule,
    trade_states,
    unpublished_facts,
    versions,
)
from competition.services.results.workbook import delegation_workbook, event_workbook, file_name

__all__ = [
    "PUBLISH_RACE", "Amendment", "CriterionHead", "EventPublication", "Line", "MedalLine",
    "Member", "PublishedTrade", "Title", "TradeResults", "TradeState", "add_amendment",
    "can_see_provisional", "compute", "delegation_workbook", "event_workbook",
    "file_name", "is_public", "latest_public", "latest_published", "line_from_row",
    "medal_labels", "medal_table", "provisional", "public_delegation", "public_medal_table",
    "public_trade", "publish", "publish_all", "published", "published_under_rule", "release",
    "results_changed", "set_criterion_marks_public", "set_embargo", "trade_states",
    "unpublished_facts", "versions",
]
