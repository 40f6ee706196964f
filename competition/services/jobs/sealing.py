"""What a job hands over once: sealed with the app's key, taken in one step."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

from competition.extensions import db
from competition.models.jobs import Job
from competition.services.errors import committing
from competition.services.jobs.runs import _BULK


def _fernet() -> Fernet:
    key = hmac.new(str(current_app.config["SECRET_KEY"]).encode(), b"competition job secrets",
                   hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: Any) -> str:
    """``value`` (anything JSON can hold) encrypted and authenticated with the app's key."""
    return _fernet().encrypt(json.dumps(value).encode()).decode("ascii")


def unseal(token: str) -> Any:
    """What :func:`seal` sealed; None when the token was sealed with another key or tampered."""
    try:
        return json.loads(_fernet().decrypt(token.encode("ascii")))
    except (InvalidToken, ValueError):
        return None


def take_secret(job: Job) -> Any:
    """The job's sealed secret, dropped from the database in the same step, so that only one
    request ever gets it; None when there is none (any more)."""
    token = job.secret
    if not token:
        return None
    with committing():
        taken = db.session.execute(sa.update(Job).where(Job.id == job.id, Job.secret == token)
                                   .values(secret=None).execution_options(**_BULK)).rowcount
    db.session.expire(job)
    return unseal(token) if taken == 1 else None
