"""Judging: marks and who may enter them, the score sheet, the trade's states, the chief judge's
oversight, declared conflicts and the audit log.

This ``__init__`` is the package's only door; its modules are:

- ``marks``: the one writer of marks (:func:`record_marks`), with optimistic versions and audit
  rows; parsing and formatting marks as judges type them.
- ``panel``: a trade's panel from the database (the rules are ``competition.domain.panel``).
- ``sheets``: the judge's sheet and its save, the chief judge's view of one entrant, "my
  trades", the blank marking sheet; what they leave out under blind judging; how many cells a
  sheet's POST may carry (:func:`sheet_size`).
- ``cellwise``: the sheet saved cell by cell (its background JSON save): saved, refused or
  stale per cell, each through the sheet's save.
- ``resolve``: resolving one entrant's marks: who may (chief, deputy chief judge, organizer),
  checked before any cell.
- ``keys``: the opaque keys that name entrants on judges' pages (never their ids, which follow
  registration).
- ``trade_state``: open, sign off, unlock (``competition.domain.trade_state``).
- ``oversight``: totals, progress, discrepancies, severity.
- ``day``: the competition-day overview of every trade a user oversees (marks in, open
  discrepancies, thin panels, sign-off, publication), for all trades in a few queries.
- ``record``: a judge's score record (评分记录表) as PDF, to sign after the session.
- ``conflicts``: declared conflicts of interest.
- ``audit``: the audit log and its export.
"""

from competition.domain.numbers import format_mark
from competition.domain.panel import RECUSALS, CellKey
from competition.services.judging.audit import (
    AuditFilter,
    audit_query,
    audit_row,
    audit_workbook,
    trade_history,
)
from competition.services.judging.blank import LAYOUT as BLANK_LAYOUT
from competition.services.judging.blank import BlankLayout, blank_sheet
from competition.services.judging.cellwise import CellOutcome, save_cells
from competition.services.judging.conflicts import (
    conflicts_of,
    declare_conflict,
    declare_conflict_by,
    remove_conflict,
)
from competition.services.judging.day import TradeDay, competition_day
from competition.services.judging.keys import entrant_key, entrants_by_key
from competition.services.judging.marks import MarkChange, StaleCell, StaleCells, current_marks, parse_mark
from competition.services.judging.marks import record as record_marks
from competition.services.judging.oversight import (
    DiscrepancyRow,
    Progress,
    criterion_marks,
    discrepancies,
    progress,
    severity,
    trade_totals,
)
from competition.services.judging.panel import load_panel, load_panels, thin_panels
from competition.services.judging.record import score_record
from competition.services.judging.resolve import Resolver, resolve_marks, resolver
from competition.services.judging.shares import my_trades
from competition.services.judging.sheets import (
    REASON_REQUIRED,
    CellInput,
    EntrantLine,
    EntrantMarks,
    SaveResult,
    Sheet,
    entrant_lines,
    entrant_marks,
    save_sheet,
    sheet,
    sheet_size,
)
from competition.services.judging.trade_state import open_trade, sign_off, unlock

__all__ = [
    "BLANK_LAYOUT", "REASON_REQUIRED", "RECUSALS", "AuditFilter", "BlankLayout", "CellInput",
    "CellOutcome", "save_cells",
    "CellKey", "DiscrepancyRow", "TradeDay",
    "EntrantLine", "EntrantMarks", "MarkChange", "Progress", "Resolver", "resolve_marks",
    "resolver", "SaveResult", "Sheet", "StaleCell", "StaleCells",
    "audit_query", "audit_row", "audit_workbook", "blank_sheet", "conflicts_of",
    "criterion_marks", "current_marks", "declare_conflict", "declare_conflict_by",
    "discrepancies", "entrant_key", "entrant_lines", "entrant_marks", "entrants_by_key",
    "competition_day", "format_mark",
    "load_panel", "load_panels", "my_trades", "open_trade", "parse_mark", "progress", "record_marks",
    "remove_conflict", "save_sheet", "score_record", "severity", "sheet", "sheet_size", "sign_off",
    "thin_panels",
    "trade_history", "trade_totals", "unlock",
]
