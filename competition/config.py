"""Configuration: a class per kind of run, every setting overridable from the environment."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


MIN_SECRET_KEY_BYTES = 32


def secret_key_problem(key: str | bytes | None) -> str | None:
    """Why a signing key is too weak for a served app, or None. With a short key, a session
    cookie (an administrator's) can be forged by guessing the key offline."""
    length = len(key.encode() if isinstance(key, str) else key or b"")
    if length >= MIN_SECRET_KEY_BYTES:
        return None
    return (f"SECRET_KEY is {length} bytes long; it must be at least {MIN_SECRET_KEY_BYTES}. "
            "Make one with: python3 -c 'import secrets; print(secrets.token_hex(32))' and set "
            "it in the environment (the same on every app server), or unset SECRET_KEY to use "
            "the key generated into instance/secret_key.")


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else from instance/secret_key (made on first run)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def database_url(instance: Path = INSTANCE) -> str:
    """DATABASE_URL, normalised to psycopg 3 for PostgreSQL; default a SQLite file in instance/."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance / 'competition.sqlite'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Config:
    """Production-safe defaults; development and tests override what they need."""

    SQLALCHEMY_DATABASE_URI = database_url()
    # hide_parameters: a logged database error shows the statement, never the values (ID
    # numbers, phones, password hashes).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    SECRET_KEY = None  # filled by create_app from _secret_key()
    WTF_CSRF_TIME_LIMIT = None  # a judge's sheet may stay open all day; the session bounds it
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Shanghai")
    LANGUAGES = ("zh", "en")
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "16")) * 1024 * 1024
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "14")))
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    REDIS_URL = os.environ.get("REDIS_URL", "")
    # Login throttling (competition.domain.accounts), counted in Redis when REDIS_URL is set,
    # else in the database: the same for every worker and host. Redis configured but down:
    # logins are refused (503), never let through uncounted.
    LOGIN_LIMITS = os.environ.get("LOGIN_LIMITS", "1") != "0"
    LOGIN_FREE_FAILURES = int(os.environ.get("LOGIN_FREE_FAILURES", "5"))
    LOGIN_FIRST_WAIT = int(os.environ.get("LOGIN_FIRST_WAIT", "1"))
    LOGIN_MAX_WAIT = int(os.environ.get("LOGIN_MAX_WAIT", "900"))
    LOGIN_ADDRESS_FAILURES = int(os.environ.get("LOGIN_ADDRESS_FAILURES", "30"))
    LOGIN_ADDRESS_WINDOW = int(os.environ.get("LOGIN_ADDRESS_WINDOW", "300"))
    LOGIN_FAILURE_MEMORY = 86_400
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    TRUSTED_HOSTS = [h for h in os.environ.get("TRUSTED_HOSTS", "").split(",") if h] or None
    PAGE_SIZE = 50
    # Certificate batches: where finished files go (default instance/exports/), and whether to
    # print them in the request instead of a background thread (tests).
    EXPORTS_DIR = os.environ.get("EXPORTS_DIR", "")
    EXPORT_JOBS_SYNC = False


class TestConfig(Config):
    """Tests: a throwaway database (DATABASE_URL or in-memory SQLite), fast password hashing."""

    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or (
        database_url() if os.environ.get("DATABASE_URL") else "sqlite://"
    )
    SECRET_KEY = "test-secret-key"
    LOGIN_LIMITS = False  # the login tests turn them on (tests/app/test_logins*.py)
    PASSWORD_METHOD = "pbkdf2:sha256:1000"
    EXPORT_JOBS_SYNC = True
