"""Running a use case from a view: a submitted form or a button, the service's refusal shown
where it belongs, the success said once. Every form page and every POST button goes through
:func:`submit` or :func:`attempt`, so a refusal looks the same everywhere."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash

from competition.services.errors import Invalid, NotAllowed
from competition.web.refusals import flash_refusal, show_on_form

Message = str | Callable[[Any], str] | None


@dataclass(frozen=True)
class Outcome:
    """Whether the use case ran (truthy), what it returned, or what refused it."""

    ok: bool
    value: Any = None
    refusal: Invalid | NotAllowed | None = None

    def __bool__(self) -> bool:
        return self.ok


NOT_DONE = Outcome(False)


def _say(message: Message, value: Any) -> None:
    text = message(value) if callable(message) else message
    if text:
        flash(text, "success")


def submit(form, action: Callable[[], Any], message: Message = None,
           fields: dict[str, str] | None = None) -> Outcome:
    """On a valid submission of ``form``, run ``action``; a refusal goes beside the fields it
    names (``fields`` renames a service's field to the form's) or into a flash. ``message`` (or
    a function of the action's result) is flashed on success."""
    if not form.validate_on_submit():
        return NOT_DONE
    try:
        value = action()
    except (Invalid, NotAllowed) as refusal:
        show_on_form(form, refusal, fields)
        return Outcome(False, refusal=refusal)
    _say(message, value)
    return Outcome(True, value)


def attempt(action: Callable[[], Any], message: Message = None) -> Outcome:
    """Run ``action`` for a button (no form fields to show problems beside): a refusal is
    flashed, success says ``message``."""
    try:
        value = action()
    except (Invalid, NotAllowed) as refusal:
        flash_refusal(refusal)
        return Outcome(False, refusal=refusal)
    _say(message, value)
    return Outcome(True, value)


def form_status(form, refused: bool = False, outcome: Outcome | None = None) -> int:
    """The status of a form page shown again: 409 when the state of things refused the action,
    422 when the input was refused (by the form or the service), else 200."""
    if outcome is not None and isinstance(outcome.refusal, NotAllowed):
        return 409
    return 422 if form.errors or refused or (outcome is not None and outcome.refusal) else 200
