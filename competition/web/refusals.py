"""One mapping from a service's refusal to what the user sees: messages beside the fields they
concern, a flash for the rest, and the HTTP status of the answer."""

from __future__ import annotations

from collections.abc import Mapping

from flask import flash
from flask_babel import gettext

from competition.domain.messages import Problem
from competition.services.errors import Invalid, NotAllowed

Refusal = Invalid | NotAllowed


def problems(refusal: Refusal) -> list[Problem]:
    return list(refusal.problems.values()) if isinstance(refusal, Invalid) else [refusal.problem]


def text(problem: Problem) -> str:
    """A problem in the reader's language."""
    return problem.render(gettext)


def flash_problem(problem: Problem) -> None:
    flash(text(problem), "error")


def flash_refusal(refusal: Refusal) -> None:
    """Every problem of the refusal as an error flash."""
    for problem in problems(refusal):
        flash_problem(problem)


def show_on_form(form, refusal: Refusal, fields: Mapping[str, str] | None = None) -> None:
    """Put each problem beside the form field it concerns (``fields`` renames a service's field
    to the form's), and flash the problems no field shows."""
    if isinstance(refusal, NotAllowed):
        flash_problem(refusal.problem)
        return
    for name, problem in refusal.problems.items():
        name = (fields or {}).get(name, name) if name else name
        if name and name in form:
            form[name].errors = [*form[name].errors, text(problem)]
        else:
            flash_problem(problem)


def status(refusal: Refusal) -> int:
    """422 for input the rules refuse, 409 for an action the state of things forbids."""
    return 422 if isinstance(refusal, Invalid) else 409
