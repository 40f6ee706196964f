"""Translatable messages from pure code.

Domain functions know nothing of Flask-Babel, yet what they report reaches users in Chinese or
English. They mark a message with ``N_`` (which only marks it for extraction by pybabel) and return
a :class:`Problem`; the web or CLI layer translates it with ``gettext(problem.message, **params)``
at the moment it is shown, in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it (pybabel keyword ``N_``)."""
    return message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with some input: an untranslated message id and its parameters."""

    message: str
    params: dict[str, Any] = field(default_factory=dict)
    column: str | None = None

    def render(self, translate=lambda s: s) -> str:
        """The message in the language ``translate`` gives (default: as written)."""
        text = translate(self.message)
        return text % self.params if self.params else text
