"""Login rate limits: how failed logins are counted (per account and per address)."""

from __future__ import annotations

import logging

from flask import Flask, request
from flask_limiter.util import get_remote_address

from competition.extensions import limiter

log = logging.getLogger("competition.security")


def init_app(app: Flask) -> None:
    limiter.init_app(app)


def login_username() -> str:
    """Rate-limit key for the account being tried (case-insensitive)."""
    return "account:" + (request.form.get("username") or "").strip().lower()


def login_address() -> str:
    return "address:" + (get_remote_address() or "")


def failed_login(response) -> bool:
    """Only failed attempts count towards the limits: a venue's judges share one address."""
    failed = response.status_code == 401
    if failed:
        log.info("failed login counted for %s", request.remote_addr)
    return failed
