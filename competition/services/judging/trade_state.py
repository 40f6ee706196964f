"""Moving a trade between its states (``competition.domain.trade_state``): opening it for
scoring, signing it off, unlocking it. Each move is audited in its own transaction."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from competition.domain.aggregation import validate_scheme
from competition.domain.messages import N_, Problem
from competition.domain.trade_state import Move, TradeStatus, move
from competition.extensions import db
from competition.models import AuditAction, AuditEntry, Criterion, JudgeAssignment, Trade, User
from competition.services.authority import require_chief, require_organizer
from competition.services.errors import Invalid, NotAllowed, committing
from competition.services.judging.oversight import discrepancies, progress

REASON_REQUIRED = N_("Give a reason for this change.")
MOVED_MEANWHILE = N_("The trade's state changed meanwhile; reload the page.")
AUDIT_ACTIONS = {Move.OPEN: AuditAction.OPEN, Move.SIGN_OFF: AuditAction.LOCK,
                 Move.UNLOCK: AuditAction.UNLOCK}


def _check(trade: Trade, action: Move) -> TradeStatus:
    target = move(trade.status, action)
    if isinstance(target, Problem):
        raise NotAllowed(target)
    return target


def _apply(trade: Trade, user: User, action: Move, reason: str) -> None:
    """Make the move in one transaction with its audit row, refusing if someone moved the trade
    meanwhile (the update names the state it starts from)."""
    target = _check(trade, action)
    with committing():
        moved = db.session.execute(
            sa.update(Trade).where(Trade.id == trade.id, Trade.status == trade.status)
            .values(status=target).execution_options(synchronize_session=False)).rowcount
        if moved != 1:
            raise NotAllowed(Problem(MOVED_MEANWHILE))
        db.session.add(AuditEntry(user_id=user.id, event_id=trade.event_id, trade_id=trade.id,
                                  action=AUDIT_ACTIONS[action], reason=reason[:500]))
    db.session.refresh(trade)


def open_trade(trade: Trade, user: User) -> None:
    """An organizer opens a trade for scoring: it needs a usable marking scheme and judges."""
    require_organizer(user, trade.event_id)
    _check(trade, Move.OPEN)
    criteria = db.session.scalars(sa.select(Criterion).where(Criterion.trade_id == trade.id)
                                  .options(selectinload(Criterion.aspects))).all()
    if problems := validate_scheme([c.spec() for c in criteria]):
        raise NotAllowed(problems[0])
    if not db.session.scalar(sa.select(sa.func.count(JudgeAssignment.id))
                             .where(JudgeAssignment.trade_id == trade.id)):
        raise NotAllowed(Problem(N_("Assign judges to this trade before opening it.")))
    _apply(trade, user, Move.OPEN, "")


def sign_off(trade: Trade, user: User, note: str = "") -> None:
    """The chief judge signs the trade off and its marks lock. While discrepancies or missing
    marks remain, a note must record why the trade is signed off anyway."""
    require_chief(user, trade)
    _check(trade, Move.SIGN_OFF)
    note = (note or "").strip()
    open_items = len(discrepancies(trade)), len(progress(trade).missing)
    if any(open_items) and not note:
        raise Invalid({"note": Problem(
            N_("%(discrepancies)s discrepancies and %(missing)s entrants with missing marks "
               "remain: resolve them, or write down why the trade is signed off anyway."),
            {"discrepancies": open_items[0], "missing": open_items[1]})})
    _apply(trade, user, Move.SIGN_OFF, note)


def unlock(trade: Trade, user: User, reason: str) -> None:
    """An organizer unlocks a signed-off trade, with a reason; changes after it need reasons."""
    require_organizer(user, trade.event_id)
    _check(trade, Move.UNLOCK)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": Problem(REASON_REQUIRED)})
    _apply(trade, user, Move.UNLOCK, reason)
