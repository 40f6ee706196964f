"""Organizer exports: the results workbook and certificates (pages and commands)."""
