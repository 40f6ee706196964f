"""Publishing a trade's results (DOMAIN.md, Integrity): when it is allowed.

- Results go public only when the organizer publishes them, and only for a signed-off trade: the
  marks are locked, so what is published is final until the trade is unlocked again.
- A trade is published once (version 1). Any later publication is an **amendment**: it needs the
  trade published already and a reason, which the public pages show beside the result.
- Every version is kept. Which certificates an amendment takes away or replaces is the
  certificates' rule (``domain.certificates.plan``), applied in the amendment's transaction.
"""

from __future__ import annotations

from competition.domain.messages import N_, Problem

NOT_SIGNED_OFF = N_("Only a signed-off trade can be published: the chief judge signs it off first.")
ALREADY_PUBLISHED = N_("These results are published already: publish a correction as an amendment, "
                       "with a reason.")
NOT_PUBLISHED = N_("These results are not published yet: publish them before amending them.")
REASON_REQUIRED = N_("Give the reason for the amendment; it is shown with the results.")



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
