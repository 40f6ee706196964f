"""The public verification of a certificate number: valid, revoked (and by what), not public yet,
or unknown (the rules of what may be said are ``competition.domain.verification``)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from competition.domain.verification import State, normalise_number, state, well_formed
from competition.extensions import db
from competition.models import Certificate
from competition.services.results import is_public


@dataclass(frozen=True)
class Verification:
    """The answer of the verification page: ``state`` is valid, revoked, pending (genuine, but
    its results are not public yet: nothing else is said) or unknown. Only a valid or revoked
    answer carries the certificate; a revoked one names the certificate that replaced it (the
    latest valid one), if any."""

    state: State
    number: str
    certificate: Certificate | None = None
    replacement: Certificate | None = None


def verify(number: str) -> Verification:
    """Whether ``number`` is a certificate we issued, and, once its results are public, whether
    it is still valid."""
    number = normalise_number(number)
    if not well_formed(number):
        return Verification(State.UNKNOWN, number)
    cert = db.session.scalar(sa.select(Certificate).where(Certificate.number == number)
                             .options(joinedload(Certificate.event)))
    found = state(cert is not None, cert is not None and cert.is_valid,
                  cert is not None and is_public(cert.event))
    if found in (State.UNKNOWN, State.PENDING):
        return Verification(found, number)
    if found == State.VALID:
        return Verification(found, number, cert)
    replacement, hops = cert.replaced_by, 0
    while replacement is not None and not replacement.is_valid and hops < 50:
        replacement, hops = replacement.replaced_by, hops + 1
    return Verification(found, number, cert, replacement)


def verify_url(base_url: str, number: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{number}"
