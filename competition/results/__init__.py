"""Organizer and chief judge pages: provisional results, publication, amendments and the embargo."""

from competition.results.views import bp

__all__ = ["bp"]
