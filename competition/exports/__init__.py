"""Organizer export pages: the results workbook, certificate settings, batches of certificates
with their progress, and the list of issued certificates."""

from competition.exports.views import bp

__all__ = ["bp"]
