"""The draw: workstation numbers and anonymous codes, from a recorded seed anyone can audit."""

from __future__ import annotations

import sqlalchemy as sa

from competition.domain import draw as lots
from competition.domain.entrants import EntrantStatus
from competition.domain.messages import N_, Problem
from competition.domain.trade_state import draw_problem, reveal_problem
from competition.extensions import db
from competition.models import Draw, Trade, User
from competition.services.errors import NotAllowed, committing
from competition.services.registration.lists import entrants


def draw(trade: Trade, user: User, kind: str) -> Draw:
    """Draw workstation numbers (``kind="numbers"``) or anonymous codes (``"codes"``) for the
    trade's registered entrants, from a fresh secret seed recorded with the result so that the
    draw can be audited; earlier numbers or codes of the trade are replaced. Only before scoring
    opens."""
    if problem := draw_problem(trade.status):
        raise NotAllowed(problem)
    field_name = {"numbers": "draw_number", "codes": "anonymous_code"}[kind]
    all_entrants = entrants(trade)
    ids = sorted(e.id for e in all_entrants if e.status == EntrantStatus.REGISTERED)
    if not ids:
        raise NotAllowed(Problem(N_("Nobody is registered in this trade yet.")))
    seed = lots.new_seed()
    result = lots.draw_numbers(ids, seed) if kind == "numbers" else lots.anonymous_codes(ids, seed)
    with committing():
        for entrant in all_entrants:  # clear first: the new values may swap between entrants
            setattr(entrant, field_name, None)
        db.session.flush()
        for entrant in all_entrants:
            setattr(entrant, field_name, result.get(entrant.id))
        record = Draw(trade_id=trade.id, kind=kind, seed=seed, entrant_ids=ids,
                      result={str(k): v for k, v in result.items()}, drawn_by_id=user.id)
        db.session.add(record)
    return record


def verify(record: Draw) -> bool:
    """Whether the recorded result follows from the recorded seed and entrants (an audit)."""
    again = (lots.draw_numbers(record.entrant_ids, record.seed) if record.kind == "numbers"
             else lots.anonymous_codes(record.entrant_ids, record.seed))
    return {str(k): v for k, v in again.items()} == record.result


def draws(trade: Trade) -> list[Draw]:
    return list(db.session.scalars(sa.select(Draw).where(Draw.trade_id == trade.id)
                                   .order_by(Draw.drawn_at.desc(), Draw.id.desc())))


def reveal_codes(trade: Trade) -> None:
    """Make the code → contestant mapping visible beyond the organizers; after sign-off only."""
    if problem := reveal_problem(trade.status):
        raise NotAllowed(problem)
    with committing():
        trade.codes_revealed = True
