"""Marking schemes: a trade's criteria and aspects, editable while the trade is being set up."""

from __future__ import annotations

import sqlalchemy as sa

from competition.domain.aggregation import AspectKind, validate_scheme
from competition.domain.messages import N_, Problem
from competition.domain.trade_state import scheme_problem
from competition.extensions import db
from competition.models import Aspect, Criterion, Trade
from competition.services.errors import Invalid, NotAllowed, committing
from competition.services.setup.common import apply

# --- marking schemes ---------------------------------------------------------------------------

def _editable_scheme(trade: Trade) -> None:
    if problem := scheme_problem(trade.status):
        raise NotAllowed(problem)


def save_criterion(trade: Trade, criterion: Criterion | None, data: dict) -> Criterion:
    _editable_scheme(trade)
    query = sa.select(Criterion.id).where(Criterion.trade_id == trade.id,
                                          sa.func.lower(Criterion.code) == data["code"].lower())
    if criterion is not None:
        query = query.where(Criterion.id != criterion.id)
    if db.session.scalar(query) is not None:
        raise Invalid({"code": Problem(N_("This code is already used in this trade."))})
    with committing(Problem(N_("This code is already used in this trade.")), "code"):
        if criterion is None:
            criterion = Criterion(trade=trade, position=len(trade.criteria))
            db.session.add(criterion)
        apply(criterion, data, ("code", "name_zh", "name_en", "weight"))
    return criterion


def save_aspect(trade: Trade, aspect: Aspect | None, data: dict) -> Aspect:
    """Create or update an aspect; judgement aspects take marks 0-3 and no decimals."""
    _editable_scheme(trade)
    criterion = db.session.get(Criterion, data["criterion_id"])
    if criterion is None or criterion.trade_id != trade.id:
        raise Invalid({"criterion_id": Problem(N_("Choose a criterion of this trade."))})
    codes = sa.select(Aspect.id).join(Criterion).where(
        Criterion.trade_id == trade.id, sa.func.lower(Aspect.code) == data["code"].lower())
    if aspect is not None:
        codes = codes.where(Aspect.id != aspect.id)
    if db.session.scalar(codes) is not None:
        raise Invalid({"code": Problem(N_("This code is already used in this trade."))})
    if data["kind"] == AspectKind.JUDGEMENT:
        data = {**data, "decimals": 0}
    with committing(Problem(N_("This code is already used in this trade.")), "code"):
        if aspect is None:
            aspect = Aspect(position=len(criterion.aspects))
            db.session.add(aspect)
        aspect.criterion = criterion
        apply(aspect, data, ("code", "description_zh", "description_en", "kind", "max_mark",
                              "aggregation", "trimmed_count", "decimals"))
    return aspect


def delete_scheme_part(trade: Trade, part: Criterion | Aspect) -> None:
    _editable_scheme(trade)
    with committing():
        db.session.delete(part)


def scheme_problems(trade: Trade) -> list[Problem]:
    """What is wrong with a trade's marking scheme (none for a usable one)."""
    if not trade.criteria:
        return [Problem(N_("The trade has no marking scheme."))]
    problems = [Problem(N_("Criterion %(code)s has no aspects."), {"code": c.code})
                for c in trade.criteria if not c.aspects]
    return problems + validate_scheme([c.spec() for c in trade.criteria if c.aspects])


