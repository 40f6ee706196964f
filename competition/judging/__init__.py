"""Judging: score sheets for judges (``judge``), the chief judge's progress, discrepancies and
sign-off (``chief``), the organizer's control of scoring, declared conflicts, the audit log and
paper-sheet imports (``organizer``), two-person entry of paper sheets (``paper``), and the
bound on what a sheet's POST may weigh (``bounds``)."""

from competition.judging import bounds, chief, judge, live, organizer, paper  # noqa: F401  (they join bp)
from competition.judging.blueprint import bp

__all__ = ["bp"]
