"""The keys that name entrants on judges' and chief judges' pages (``competition.domain.sheet_keys``),
under a secret derived from the app's SECRET_KEY."""

from __future__ import annotations

import hashlib
import hmac

import sqlalchemy as sa
from flask import current_app

from competition.domain import sheet_keys
from competition.extensions import db
from competition.models import Entrant, Trade


def _secret() -> bytes:
    return hmac.new(str(current_app.config["SECRET_KEY"]).encode(), b"competition entrant keys",
                    hashlib.sha256).digest()


def entrant_key(trade_id: int, entrant_id: int) -> str:
    """The key of one entrant of a trade, as its judges' pages show it."""
    return sheet_keys.entrant_key(_secret(), trade_id, entrant_id)


def entrants_by_key(trade: Trade) -> dict[str, int]:
    """Key → entrant id for every entrant of the trade."""
    ids = db.session.scalars(sa.select(Entrant.id).where(Entrant.trade_id == trade.id))
    return sheet_keys.entrants_by_key(_secret(), trade.id, ids)


def entrant_of(trade: Trade, key: str) -> int | None:
    """The trade's entrant a page named by ``key``, or None."""
    if not sheet_keys.KEY_PATTERN.fullmatch(key or ""):
        return None
    return entrants_by_key(trade).get(key)
