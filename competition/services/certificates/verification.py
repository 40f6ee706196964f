"""The public verification of a certificate number: valid, revoked (and by what), or unknown."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from competition.extensions import db
from competition.models import Certificate

NUMBER_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,60}$")


@dataclass(frozen=True)
class Verification:
    """The answer of the verification page: ``state`` is valid, revoked or unknown; a revoked
    certificate names the certificate that replaced it (the latest valid one), if any."""

    state: str
    number: str
    certificate: Certificate | None = None
    replacement: Certificate | None = None


def normalise_number(number: str) -> str:
    return (number or "").strip().upper()[:60]


def verify(number: str) -> Verification:
    """Whether ``number`` is a certificate we issued, and whether it is still valid."""
    number = normalise_number(number)
    if not NUMBER_SHAPE.match(number):
        return Verification("unknown", number)
    cert = db.session.scalar(sa.select(Certificate).where(Certificate.number == number)
                             .options(joinedload(Certificate.event)))
    if cert is None:
        return Verification("unknown", number)
    if cert.is_valid:
        return Verification("valid", number, cert)
    replacement, hops = cert.replaced_by, 0
    while replacement is not None and not replacement.is_valid and hops < 50:
        replacement, hops = replacement.replaced_by, hops + 1
    return Verification("revoked", number, cert, replacement)


def verify_url(base_url: str, number: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{number}"


