"""Pages that belong to no single task: the home page and the language switch."""

from competition.core.views import bp

__all__ = ["bp"]
