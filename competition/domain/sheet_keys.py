"""Opaque keys for the entrants on judges' pages (DOMAIN.md, "Integrity": blind judging).

A judge's score sheet and the chief judge's pages name each entrant in form fields, element ids
and URLs. An entrant's number in the database follows registration, and registration follows
the delegations' files: sorted by it, the codes of a blind trade fall into their delegations
(ZZ, ZZ, KF, KF, AY, ...). Those pages therefore name an entrant by a **key**: the first 12
characters of the base-32 HMAC-SHA256 of ``"entrant:<trade id>:<entrant id>"`` under a secret
(the app's key). A key is the same for as long as the secret is (a sheet loaded this morning
still saves this afternoon), differs from trade to trade, and orders like nothing: without the
secret it tells neither the entrant's number nor its rank.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Iterable

KEY_LENGTH = 12  # 60 bits
KEY_PATTERN = re.compile(rf"[a-z2-7]{{{KEY_LENGTH}}}")


def entrant_key(secret: bytes, trade_id: int, entrant_id: int) -> str:
    """The key that names entrant ``entrant_id`` of trade ``trade_id`` on judges' pages."""
    digest = hmac.new(secret, f"entrant:{trade_id}:{entrant_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii")[:KEY_LENGTH].lower()


def entrants_by_key(secret: bytes, trade_id: int, entrant_ids: Iterable[int]) -> dict[str, int]:
    """Key → entrant id for the trade's entrants (to read back what a page submitted)."""
    return {entrant_key(secret, trade_id, entrant_id): entrant_id for entrant_id in entrant_ids}
