"""Judging: score sheets for judges, the chief judge's progress, discrepancies and sign-off,
the organizer's control of scoring, declared conflicts, the audit log and paper-sheet imports."""
