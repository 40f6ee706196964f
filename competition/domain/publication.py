"""Publishing a trade's results (DOMAIN.md, Integrity): when it is allowed, and what an amendment
changed.

- Results go public only when the organizer publishes them, and only for a signed-off trade: the
  marks are locked, so what is published is final until the trade is unlocked again.
- A trade is published once (version 1). Any later publication is an **amendment**: it needs the
  trade published already and a reason, which the public pages show beside the result.
- Every version is kept. The awards of two versions are compared entrant by entrant; an entrant
  whose tier, excellence or titles differ has a changed award (its certificates are revoked and
  reissued).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from competition.domain.awards import NO_AWARD, Award
from competition.domain.messages import N_, Problem

NOT_SIGNED_OFF = N_("Only a signed-off trade can be published: the chief judge signs it off first.")
ALREADY_PUBLISHED = N_("These results are published already: publish a correction as an amendment, "
                       "with a reason.")
NOT_PUBLISHED = N_("These results are not published yet: publish them before amending them.")
REASON_REQUIRED = N_("Give the reason for the amendment; it is shown with the results.")

K = TypeVar("K")


def publication_problem(signed_off: bool, versions: int, amending: bool,
                        reason: str = "") -> Problem | None:
    """Why the trade's results may not be published now, or None.

    ``signed_off``: the trade's marks are locked; ``versions``: how many versions are published
    already; ``amending``: this publication is meant as an amendment, with ``reason``. Checked in
    this order: an amendment without a reason (column ``reason``), a first publication of a trade
    published already, an amendment of a trade never published, a trade not signed off.
    """
    if amending and not reason.strip():
        return Problem(REASON_REQUIRED, column="reason")
    if not amending and versions > 0:
        return Problem(ALREADY_PUBLISHED)
    if amending and versions == 0:
        return Problem(NOT_PUBLISHED)
    if not signed_off:
        return Problem(NOT_SIGNED_OFF)
    return None


def award_changes(before: Mapping[K, Award],
                  after: Mapping[K, Award]) -> dict[K, tuple[Award, Award]]:
    """The entrants whose award differs between two versions: entrant → (before, after).

    An entrant missing from a version had no award in it. Entrants with the same award in both
    (including no award in both) are left out.
    """
    changed: dict[K, tuple[Award, Award]] = {}
    for key in before.keys() | after.keys():
        old, new = before.get(key, NO_AWARD), after.get(key, NO_AWARD)
        if old != new:
            changed[key] = (old, new)
    return changed
