"""Read-only JSON API, version 1: the medal table, a trade's published results, the live board."""

from competition.api.views import bp

__all__ = ["bp"]
