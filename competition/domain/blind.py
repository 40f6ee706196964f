"""Blind judging (DOMAIN.md, "Integrity"): when a trade uses anonymous codes, judges see codes,
never names or delegations, until the organizer reveals them after sign-off.

Organizers, administrators and supervisors always see who an entrant is; everyone else (judges
and chief judges) sees the entrant's code while the trade is blind. Only organizers see which
code belongs to whom before the codes are revealed.
"""

from __future__ import annotations

from competition.domain.roles import Role, organizes, reads_everything


def is_blind(uses_anonymous_codes: bool, codes_revealed: bool) -> bool:
    """The trade is judged by codes and the codes are not revealed yet."""
    return uses_anonymous_codes and not codes_revealed


def sees_identity(role: Role | str, uses_anonymous_codes: bool, codes_revealed: bool) -> bool:
    """Whether an account of ``role`` sees entrants' names and delegations in this trade."""
    return reads_everything(role) or not is_blind(uses_anonymous_codes, codes_revealed)


def sees_code_mapping(role: Role | str, codes_revealed: bool) -> bool:
    """Whether an account of ``role`` sees which anonymous code belongs to which entrant."""
    return organizes(role) or codes_revealed


def entrant_label(blind: bool, code: str | None, draw_number: int | None, entrant_id: int) -> str:
    """How a judge's page names an entrant: the code when blind, else the draw number (a
    placeholder with the entrant's id until the lots are drawn)."""
    if blind:
        return code or f"?{entrant_id}"
    return str(draw_number) if draw_number is not None else f"#{entrant_id}"
