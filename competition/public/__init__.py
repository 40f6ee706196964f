"""Public pages: no login, published and released results only, never personal data."""

from competition.public.views import bp

__all__ = ["bp"]
