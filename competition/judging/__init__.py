"""Judging: score sheets for judges (``judge``), the chief judge's progress, discrepancies and
sign-off (``chief``), and the organizer's control of scoring, declared conflicts, the audit log and
paper-sheet imports (``organizer``)."""

from competition.judging import chief, judge, organizer  # noqa: F401  (their routes join bp)
from competition.judging.blueprint import bp

__all__ = ["bp"]
