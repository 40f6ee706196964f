"""Read-only JSON API, version 1: the medal table, a trade's published results, the live board.

Only what the public pages show: 404 for an unpublished trade or results under embargo, never a
provisional mark, an ID number or a phone; a trade's names and demonstration flag as its results
were published. GET only, so no CSRF token is involved; public and cacheable by proxies for
visitors without a session (``web.caching``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import Blueprint, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from competition.domain import labels
from competition.domain.awards import EXCELLENCE_LABEL, Tier
from competition.domain.medal_table import Order
from competition.domain.numbers import format_score
from competition.extensions import db
from competition.models import Event
from competition.services import results
from competition.services.results import Line, MedalLine, PublishedTrade
from competition.services.setup import find_trade
from competition.web import caching
from competition.web.labels import award_code, award_text, status_text

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.before_request(caching.public_request)
BOARD_TRADES = 8
BOARD_LINES = 10
BOARD_MEDAL_ROWS = 12


def _not_found():
    return caching.json({"error": "not found"}, status=404)


def _event(event_code: str) -> Event | None:
    return db.session.scalar(sa.select(Event).where(Event.code == event_code))


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    text = format_score(value)
    return int(text) if "." not in text else float(text)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _delegation(code: str, name_zh: str, name_en: str) -> dict:
    return {"code": code, "name_zh": name_zh, "name_en": name_en}


def medal_row(row: MedalLine) -> dict:
    return {"rank": row.rank, "delegation": _delegation(row.code, row.name_zh, row.name_en),
            "gold": row.gold, "silver": row.silver, "bronze": row.bronze,
            "excellence": row.excellence, "total": row.total, "points": row.points}


def award_labels(award_names: str) -> dict:
    """The award names the medal table's columns carry, in the reader's language."""
    return {"gold": labels.tier_text(Tier.FIRST, award_names, _),
            "silver": labels.tier_text(Tier.SECOND, award_names, _),
            "bronze": labels.tier_text(Tier.THIRD, award_names, _),
            "excellence": _(EXCELLENCE_LABEL)}


def entrant(line: Line, version: PublishedTrade, criteria: bool) -> dict:
    data = {
        "place": line.place, "tied": line.tied, "number": line.number, "name": line.name,
        "members": [m.name for m in line.members],
        "delegation": _delegation(line.delegation_code, line.delegation_name_zh,
                                  line.delegation_name_en),
        "total": _number(line.total), "score": _number(line.score),
        "award": award_code(line, version.labels),
        "titles": [{"name_zh": t.zh, "name_en": t.en} for t in line.titles],
        "status": line.status,
    }
    if criteria:
        data["criteria"] = {c.code: _number(line.criteria.get(c.id)) for c in version.criteria}
    return data


@bp.get("/events/<event_code>/medal-table")
def medal_table(event_code: str):
    event = _event(event_code)
    order = request.args.get("order") or (event.medal_order if event else Order.GOLD)
    if event is None:
        return _not_found()
    if order not in {o.value for o in Order}:
        return caching.json({"error": "order must be gold, total or points"}, status=400)
    table = results.public_medal_table(event, order)
    if table is None:
        return _not_found()
    award_names = results.medal_labels(event)
    return caching.json({"event": event.code, "order": order, "award_names": award_names,
                         "labels": award_labels(award_names),
                         "rows": [medal_row(row) for row in table]}, per_language=True)


@bp.get("/events/<event_code>/trades/<trade_code>/results")
def trade_results(event_code: str, trade_code: str):
    event = _event(event_code)
    trade = event and find_trade(event, trade_code)
    version = results.public_trade(event, trade) if trade else None
    if version is None:
        return _not_found()
    return caching.json({
        "event": event.code,
        "trade": {"code": trade.code, "name_zh": version.name_zh, "name_en": version.name_en,
                  "demonstration": version.demonstration},
        "version": version.version,
        "published_at": _when(version.first_published_at),
        "updated_at": _when(version.published_at),
        "amended": version.amended,
        "amendments": [{"version": a.number, "published_at": _when(a.published_at),
                        "reason": a.reason} for a in version.amendments],
        "labels": version.labels,
        "entrants": [entrant(line, version, event.criterion_marks_public)
                     for line in version.lines],
    })


@bp.get("/events/<event_code>/board")
def board(event_code: str):
    """What the live board shows, in the viewer's language: the latest published trades (top
    lines) and the medal table."""
    event = _event(event_code)
    if event is None:
        return _not_found()
    locale = str(get_locale() or "zh")
    trades = []
    for trade, version in results.latest_public(event, BOARD_TRADES):
        trades.append({
            "code": trade.code, "name": version.name(locale),
            "demonstration": version.demonstration, "amended": version.amended,
            "url": url_for("public.trade_results", event_code=event.code, trade_code=trade.code),
            "entrants": [{"place": line.place, "name": line.name,
                          "delegation": line.delegation_name(locale),
                          "total": format_score(line.total),
                          "award": award_text(line, version.labels, locale, titles=False),
                          "tier": line.tier, "status": status_text(line.status)}
                         for line in version.lines if line.place is not None][:BOARD_LINES],
        })
    table = results.public_medal_table(event) or []
    return caching.json({
        "event": {"code": event.code, "name": event.name(locale)},
        "public": results.is_public(event),
        "labels": {"place": _("Place"), "name": _("Name"), "delegation": _("Delegation"),
                   "total": _("Total"), "award": _("Award"), "rank": _("Rank"),
                   **award_labels(results.medal_labels(event)),
                   "medals": _("Medal table"), "amended": _("Amended"),
                   "waiting": _("Results will appear here as soon as they are published.")},
        "trades": trades,
        "medals": [{**medal_row(row), "name": row.name(locale)}
                   for row in table[:BOARD_MEDAL_ROWS] if row.total or row.excellence],
    }, max_age=5, per_language=True)
