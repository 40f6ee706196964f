"""Publication: a signed-off trade's results frozen as version 1, amendments as later
versions with their reasons, publishing the whole event, the embargo and whether criterion marks
are public. Every change of public results retires the cache in its own transaction.

A version freezes, beside every entrant's line, the trade's public facts: its names, whether it
is a demonstration trade, how its awards are named and how the event's medal table names its
columns. A first publication touches no certificate (none can exist before it), so
:func:`publish` and :func:`publish_all` commit here; an amendment may take awards away, so
:func:`add_amendment` only adds the version (no commit) and ``competition.services.publishing``
publishes it together with what it does to the certificates, in one transaction.
"""

from __future__ import annotations

import sqlalchemy as sa

from competition.domain.messages import N_, Problem
from competition.domain.publication import publication_problem
from competition.domain.trade_state import is_signed_off
from competition.extensions import db
from competition.models import Event, ResultLine, ResultVersion, Trade, User
from competition.models.base import utcnow
from competition.services import setup
from competition.services.authority import require_organizer
from competition.services.errors import Invalid, NotAllowed, committing
from competition.services.results.cache import results_changed
from competition.services.results.lines import EventPublication, TradeResults
from competition.services.results.provisional import compute

PUBLISH_RACE = N_("Someone published these results at the same time; reload the page.")


def _freeze(version: ResultVersion, trade: Trade, results: TradeResults) -> None:
    version.scaling = results.scaling
    version.labels = results.labels
    version.medal_labels = setup.event_rule(trade.event).labels
    version.trade_name_zh, version.trade_name_en = trade.name_zh, trade.name_en or ""
    version.is_demonstration = trade.is_demonstration
    version.criteria = [{"id": c.id, "code": c.code, "name_zh": c.name_zh, "name_en": c.name_en}
                        for c in results.criteria]
    for position, line in enumerate(results.lines, start=1):
        version.lines.append(ResultLine(
            entrant_id=line.entrant_id, delegation_id=line.delegation_id, position=position,
            place=line.place, tied=line.tied, status=line.status, total=line.total,
            score=line.score, tier=line.tier, excellence=line.excellence,
            titles=[{"zh": t.zh, "en": t.en} for t in line.titles],
            criteria={str(k): str(v) for k, v in line.criteria.items()},
            number=line.number[:200], name=line.name[:300],
            members=[{"contestant_id": m.contestant_id, "name": m.name, "number": m.number}
                     for m in line.members],
            delegation_code=line.delegation_code, delegation_name_zh=line.delegation_name_zh,
            delegation_name_en=line.delegation_name_en))


def _add_version(trade: Trade, user: User | None, amending: bool, reason: str) -> ResultVersion:
    """Check the rule and add the next version of the trade's results (no commit). The trade's
    row is locked first (PostgreSQL), so an unlock cannot slip in between check and write."""
    status = db.session.scalar(sa.select(Trade.status).where(Trade.id == trade.id)
                               .with_for_update())
    versions = db.session.scalar(sa.select(sa.func.count(ResultVersion.id))
                                 .where(ResultVersion.trade_id == trade.id)) or 0
    reason = (reason or "").strip()
    if problem := publication_problem(is_signed_off(status), versions, amending, reason):
        if problem.column:
            raise Invalid({problem.column: problem})
        raise NotAllowed(problem)
    version = ResultVersion(event_id=trade.event_id, trade_id=trade.id, number=versions + 1,
                            is_amendment=amending, reason=reason[:500],
                            published_by_id=user.id if user else None, published_at=utcnow())
    _freeze(version, trade, compute(trade))
    db.session.add(version)
    return version


def publish(trade: Trade, user: User | None) -> ResultVersion:
    """Publish a signed-off trade's results (version 1). ``user`` None is the command line."""
    require_organizer(user, trade.event_id)
    with committing(Problem(PUBLISH_RACE)):
        version = _add_version(trade, user, amending=False, reason="")
        results_changed(trade.event)
    return version


def add_amendment(trade: Trade, user: User | None, reason: str) -> ResultVersion:
    """Add corrected results of a published, signed-off trade as the next version, with the
    reason shown beside them (Invalid without a reason), and retire the cache: the version and
    the new results version are flushed, not committed (``publishing.amend`` commits them with
    the certificates the amendment revokes)."""
    require_organizer(user, trade.event_id)
    version = _add_version(trade, user, amending=True, reason=reason)
    results_changed(trade.event)
    db.session.flush()
    return version


def publish_all(event: Event, user: User | None) -> EventPublication:
    """Publish, in one transaction, every signed-off trade of the event not yet published (the
    closing ceremony). Trades that cannot be published are reported, not published."""
    require_organizer(user, event.id)
    outcome = EventPublication()
    trades = db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id)
                                .order_by(Trade.code)).all()
    with committing(Problem(PUBLISH_RACE)):
        for trade in trades:
            try:
                _add_version(trade, user, amending=False, reason="")
            except (NotAllowed, Invalid) as refusal:
                problem = refusal.problem if isinstance(refusal, NotAllowed) \
                    else next(iter(refusal.problems.values()))
                outcome.skipped.append((trade, problem))
            else:
                outcome.published.append(trade)
        if outcome.published:
            results_changed(event)
    return outcome


def set_embargo(event: Event, user: User | None, embargoed: bool) -> None:
    """Put the event's results under embargo (nothing public) or release them."""
    require_organizer(user, event.id)
    with committing():
        event.results_embargoed = embargoed
        if not embargoed:
            event.results_released_at = utcnow()
        results_changed(event)


def release(event: Event, user: User | None) -> None:
    """Lift the embargo: every published result goes public (closing ceremony)."""
    set_embargo(event, user, False)


def set_criterion_marks_public(event: Event, user: User | None, public: bool) -> None:
    """Whether the public pages show each criterion's mark beside the total."""
    require_organizer(user, event.id)
    with committing():
        event.criterion_marks_public = public
        results_changed(event)


