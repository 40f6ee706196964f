"""Query-string helpers every list page shares: the page number and safe redirect targets."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request

MAX_PAGE = 100_000


def page_number() -> int:
    """A list's ``?page=``: junk reads as 1, and no number runs past what an OFFSET can hold."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)


def safe_next(target: str | None, default: str) -> str:
    """A redirect target on this site only (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    # Browsers read "/\evil.com" and "/<tab>/evil.com" as "//evil.com": refuse both.
    if "\\" in target or any(ch.isspace() or ord(ch) < 32 for ch in target):
        return default
    return target


def filters(*names: str) -> dict[str, str]:
    """The named query-string values, stripped ("" when absent)."""
    return {name: request.args.get(name, "").strip() for name in names}
