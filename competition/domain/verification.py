"""Verifying a certificate by its number (DOMAIN.md, "Certificates"): what the number looks like
and what the public verification page may say.

**The number.** ``HN2026-0007-0012-K7QX2``: the event's code, the trade's sequence in the event,
the running number in the trade, and a check code of five characters drawn at random when the
certificate is issued. The first three parts follow each other, so on their own they could be
counted through; the check code cannot be guessed (32⁵, over 33 million, per certificate), so a
number can only be verified by someone who holds the certificate. The check code's alphabet has
no I, L, O or U (Crockford's base 32), so it reads back from paper without doubt; a reader who
types O for 0 or I or L for 1 is understood. Numbers issued before check codes existed
(``HN2026-0007-0012``) keep working as they are.

**What the page says.** A genuine certificate is verifiable once its results are public: then the
page says whether it is still valid (for whom and for what) or revoked (when, why, and the
certificate that replaced it). While the event's results are under embargo, or before the trade's
results are published, it says only that the certificate exists and will be verifiable once the
results are announced: no name, no award, nothing the public may not know yet. A number we never
issued is unknown.
"""

from __future__ import annotations

import re
from enum import StrEnum

CHECK_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_LENGTH = 5
MAX_LENGTH = 60
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "－": "-"})
_WITH_CHECK = re.compile(rf"^(?P<stem>.+-\d{{4,}}-\d{{4,}})-(?P<check>[0-9A-Z]{{{CHECK_LENGTH}}})$")
_SHAPE = re.compile(rf"^[A-Z0-9_-]{{1,{MAX_LENGTH}}}$")


class State(StrEnum):
    VALID = "valid"  # genuine and still valid
    REVOKED = "revoked"  # genuine, revoked (by an amendment)
    PENDING = "pending"  # genuine, but its results are not public yet: nothing more is said
    UNKNOWN = "unknown"  # never issued


def certificate_number(event_code: str, sequence: int, serial: int, check: str) -> str:
    """The number printed on a certificate."""
    return f"{event_code}-{sequence:04d}-{serial:04d}-{check}"


def normalise_number(text: str | None) -> str:
    """A number as typed or scanned, in the form it was issued: spaces dropped, upper case,
    typographic dashes as hyphens, and in the check code O read as 0, I and L as 1."""
    number = "".join((text or "").split()).upper().translate(_DASHES)[:MAX_LENGTH]
    if found := _WITH_CHECK.match(number):
        return f"{found['stem']}-{found['check'].translate(_READ_AS)}"
    return number


def well_formed(number: str) -> bool:
    """Whether ``number`` (normalised) could be a certificate number at all."""
    return bool(_SHAPE.match(number))


def state(found: bool, valid: bool, public: bool) -> State:
    """What the verification page says of a number (see the module docstring): ``found``, we
    issued it; ``valid``, it is not revoked; ``public``, its results are public."""
    if not found:
        return State.UNKNOWN
    if not public:
        return State.PENDING
    return State.VALID if valid else State.REVOKED
