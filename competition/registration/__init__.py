"""Organizer pages for registration: contestants, teams, imports, the draw, venue lists."""

from competition.registration.views import bp

__all__ = ["bp"]
