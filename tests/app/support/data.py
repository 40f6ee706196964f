"""The test database read and written directly: counting rows and statements, emptying every
table, marks written as rows, the event's award rule; and valid resident ID numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from competition.domain.idcard import check_digit
from competition.extensions import db
from competition.models import AwardRule, Entrant, Event, Score, Trade, User


def count(model, *where, **by) -> int:
    """Rows of ``model`` matching the ``where`` clauses and the ``by`` column values, as the
    database holds them now (the session's objects are expired, so they read afresh after)."""
    db.session.expire_all()
    query = sa.select(sa.func.count()).select_from(model).where(*where)
    for column, value in by.items():
        query = query.where(getattr(model, column) == value)
    return db.session.scalar(query)


class count_queries:
    """Count the SQL statements run inside the ``with`` block (``.count``, or ``len()``)."""

    def __enter__(self):
        self.count = 0
        sa.event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def _seen(self, *_args) -> None:
        self.count += 1

    def __len__(self) -> int:
        return self.count

    def __exit__(self, *_exc) -> None:
        sa.event.remove(db.engine, "before_cursor_execute", self._seen)


def empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


def add_marks(trade: Trade, judge: User, marks: dict[Entrant, tuple]) -> None:
    """One measurement mark per aspect (in scheme order) for each entrant, by ``judge``."""
    aspects = [a for c in trade.criteria for a in c.aspects]
    for entrant, values in marks.items():
        for aspect, value in zip(aspects, values):
            db.session.add(Score(trade_id=trade.id, entrant_id=entrant.id, aspect_id=aspect.id,
                                 judge_id=judge.id, updated_by_id=judge.id, value=Decimal(value)))
    db.session.commit()


def set_marks(trade: Trade, entrant: Entrant, *values) -> None:
    """Change an entrant's marks in place (a correction after unlocking, in a test)."""
    aspects = [a for c in trade.criteria for a in c.aspects]
    for aspect, value in zip(aspects, values):
        score = db.session.query(Score).filter_by(entrant_id=entrant.id, aspect_id=aspect.id).one()
        score.value = Decimal(value)
    db.session.commit()


def event_rule(event: Event, **fields) -> AwardRule:
    """The event's default award rule, replaced by one with ``fields``."""
    db.session.query(AwardRule).filter_by(event_id=event.id, trade_id=None).delete()
    rule = AwardRule(event_id=event.id, trade_id=None, **fields)
    db.session.add(rule)
    db.session.commit()
    return rule


def resident_id(born: date = date(1999, 3, 15), sequence: int = 1, area: str = "410102") -> str:
    """A valid resident ID number (the domain's check digit): odd ``sequence`` for a man, even
    for a woman."""
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    return first17 + check_digit(first17)


def resident_id_ending_in_x() -> str:
    """A valid resident ID number whose check character is X."""
    for sequence in range(1, 1000):
        number = resident_id(date(1990, 1, 1), sequence)
        if number.endswith("X"):
            return number
    raise AssertionError("no X check digit found")


def wrong_check_digit(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last
