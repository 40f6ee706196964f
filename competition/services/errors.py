"""Exceptions services raise for the views to turn into messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from competition.domain.messages import N_, Problem
from competition.extensions import db


class Invalid(Exception):
    """Input the rules refuse: problems keyed by form field (None for the whole form)."""

    def __init__(self, problems: dict[str | None, Problem]):
        super().__init__(problems)
        self.problems = problems


class NotAllowed(Exception):
    """The state of things forbids this action (not a question of who asks)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


@contextmanager
def committing(conflict: Problem | None = None, field: str | None = None) -> Iterator[None]:
    """Commit what the block did; a uniqueness race caught by the database becomes Invalid."""
    try:
        yield
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Invalid({field: conflict or Problem(N_("This conflicts with an existing record."))}) \
            from None
    except Exception:
        db.session.rollback()
        raise
