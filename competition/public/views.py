"""Public pages: event home, a trade's results, the medal table, a delegation, the live board and
the certificate verification page. Everything shown comes from published versions of released
results (services.results), with the trades' names and demonstration flags as published; no page
shows an ID number or a phone. The pages set no cookie for a visitor who has none, so proxies
and CDNs may keep them (``web.caching``)."""

from __future__ import annotations

import logging

from flask import Blueprint, jsonify, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf

from competition.domain.medal_table import Order
from competition.models import Event
from competition.services import certificates, results, throttle
from competition.web import caching
from competition.web.loaders import delegation_or_404, public_event_or_404, trade_or_404

bp = Blueprint("public", __name__)
bp.before_request(caching.public_request)
log = logging.getLogger("competition.public")
BAR_CHART_SIZE = 10
# Verifications per address and window: plenty for anyone holding certificates, far too few to
# guess numbers (each has a random check code besides).
VERIFY_LIMIT = 30
VERIFY_WINDOW = 60


def _order(event: Event) -> str:
    asked = request.args.get("order", "")
    return asked if asked in {o.value for o in Order} else (event.medal_order or Order.GOLD)


def _bounded(name: str, default: int, low: int, high: int) -> int:
    value = request.args.get(name, type=int)
    return default if value is None else max(low, min(high, value))


@bp.get("/events/<event_code>/")
def event_home(event_code: str):
    event = public_event_or_404(event_code)

    def render():
        states = results.trade_states(event)
        return render_template("public/event.html", event=event, public=results.is_public(event),
                               competition=[s for s in states if not s.demonstration],
                               demonstration=[s for s in states if s.demonstration])
    return caching.page(event, render)


@bp.get("/events/<event_code>/trades/<trade_code>")
def trade_results(event_code: str, trade_code: str):
    event = public_event_or_404(event_code)
    trade = trade_or_404(event, trade_code)

    def render():
        version = results.public_trade(event, trade)
        if version is None:
            return render_template("public/not_published.html", event=event, trade=trade), 404
        return render_template("public/trade.html", event=event, trade=trade, version=version,
                               show_criteria=event.criterion_marks_public)
    return caching.page(event, render)


@bp.get("/events/<event_code>/medals")
def medals(event_code: str):
    event = public_event_or_404(event_code)
    order = _order(event)

    def render():
        table = results.public_medal_table(event, order)
        leaders = [row for row in (table or []) if row.total or row.excellence][:BAR_CHART_SIZE]
        longest = max((row.total for row in leaders), default=0) or 1
        return render_template("public/medals.html", event=event, table=table, order=order,
                               leaders=leaders, longest=longest, orders=[o.value for o in Order],
                               award_names=results.medal_labels(event))
    return caching.page(event, render)


@bp.get("/events/<event_code>/delegations/<code>")
def delegation(event_code: str, code: str):
    event = public_event_or_404(event_code)
    found = delegation_or_404(event, code)

    def render():
        entries = results.public_delegation(event, found)
        table = results.public_medal_table(event) or []
        row = next((r for r in table if r.delegation_id == found.id), None)
        return render_template("public/delegation.html", event=event, delegation=found,
                               entries=entries, row=row, public=results.is_public(event),
                               award_names=results.medal_labels(event))
    return caching.page(event, render)


@bp.get("/events/<event_code>/board")
def board(event_code: str):
    event = public_event_or_404(event_code)
    refresh = _bounded("refresh", 30, 5, 600)
    cycle = _bounded("cycle", 12, 4, 120)
    return caching.page(event, lambda: render_template(
        "public/board.html", event=event, refresh=refresh, cycle=cycle,
        lang=str(get_locale() or "zh")))


@bp.get("/verify")
@bp.get("/verify/<number>")
def verify(number: str | None = None):
    """Whether a certificate number is genuine and valid, for whom and for what, once its
    results are public; revoked certificates name their replacement. Limited per address; not
    cached: a revocation shows at once."""
    number = number or request.args.get("number", "")
    shown = certificates.normalise_number(number)

    def answer(found=None, refusal: str = "", status: int = 200):
        return caching.uncached(lambda: (render_template(
            "public/verify.html", found=found, number=shown, refusal=refusal), status))

    if not number.strip():
        return answer()
    try:
        wait = throttle.hit(f"verify:{request.remote_addr}", VERIFY_LIMIT, VERIFY_WINDOW)
    except throttle.StoreUnavailable as error:
        log.error("verification refused: the counter store is unavailable (%s)", error)
        return answer(refusal=_("Verification is unavailable for a moment. Please try again in "
                                "a few minutes."), status=503)
    if wait:
        response = answer(refusal=_("Too many verifications from your network. Please try again "
                                    "in %(n)s seconds.", n=wait), status=429)
        response.headers["Retry-After"] = str(wait)
        return response
    return answer(certificates.verify(number))


@bp.get("/form-token")
def form_token():
    """A CSRF token for this visitor, which starts their session: public pages carry none, so
    that every visitor gets the same copy; their language switch asks for one when it is used
    (``static/js/public.js``)."""
    response = jsonify({"csrf_token": generate_csrf()})
    response.cache_control.no_store = True
    return response
