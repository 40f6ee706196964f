"""Reading a submitted grid of marks and showing a refused one again (the judge's sheet and the
chief judge's resolution page share it). Cells are named per cell: ``m-<row>-<aspect>``, with
the loaded version in ``v-`` and the loaded text in ``o-``; a judge's sheet names its rows by
the entrants' opaque keys, the chief judge's page by the judges' ids."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.services import judging
from competition.web.refusals import flash_problem

_CELL = re.compile(r"^m-([0-9a-z]{1,20})-(\d{1,10})$")
UNKNOWN_ROW = 0  # a row the page never showed: no trade has it, so the service refuses the cell


def submitted_cells(form, row_of: Callable[[str], int | None]) -> list[tuple[int, int, str, int | None, str]]:
    """(row id, aspect id, typed text, loaded version, loaded text) of every cell in a POST;
    ``row_of`` reads a row's name back (None: no row of this page)."""
    cells = []
    for name, value in form.items():
        if match := _CELL.match(name):
            row, aspect = row_of(match[1]), int(match[2])
            version = form.get(f"v-{match[1]}-{aspect}", "")
            cells.append((UNKNOWN_ROW if row is None else row, aspect, value,
                          int(version) if version.isdigit() else None,
                          form.get(f"o-{match[1]}-{aspect}", "")))
    return cells


def judge_ids(name: str) -> int | None:
    """A row of the chief judge's page: a judge's id."""
    return int(name) if name.isdigit() else None


def changed(cells):
    """Only the cells the user changed go to the service: an untouched cell is no claim."""
    return [c for c in cells if c[2].strip() != c[4].strip()]


def render_cells(cells, result: judging.SaveResult | None, key):
    """Texts, versions, originals and messages to re-show a refused sheet: what the user typed,
    except in a conflicting cell, which shows what it holds now."""
    values, versions, originals, errors = {}, {}, {}, {}
    stale = {c.key: c for c in result.stale} if result else {}
    problems = result.problems_by_cell if result else {}
    for row, aspect, text, version, original in cells:
        cell_key = key(row, aspect)
        values[(row, aspect)], versions[(row, aspect)] = text, version
        originals[(row, aspect)] = original
        if conflict := stale.get(cell_key):
            now = judging.format_mark(conflict.current)
            values[(row, aspect)] = originals[(row, aspect)] = now
            versions[(row, aspect)] = conflict.current_version
            errors[(row, aspect)] = conflict.problem().render(_) + " " + _(
                "Your entry “%(mine)s” was not saved.", mine=text)
        elif problem := problems.get(cell_key):
            errors[(row, aspect)] = problem.render(_)
    return values, versions, originals, errors


def after_save(result, cells, trade, criterion_id):
    """(302, redirect) after a clean save, else (status, state to re-show the sheet with)."""
    if result.ok:
        flash(_("%(n)s marks saved.", n=result.saved) if result.saved
              else _("Nothing changed."), "success")
        return 302, redirect(url_for("judging.sheet", trade_id=trade.id, criterion=criterion_id))
    for problem in result.problems:
        flash_problem(problem)
    # A recused cell or one of no entrant of the trade is never on the sheet, so its refusal
    # cannot stand beside it: say it here.
    for problem in {p.message: p for k, p in result.problems_by_cell.items()
                    if p.message in judging.RECUSALS or k.entrant_id == UNKNOWN_ROW}.values():
        flash_problem(problem)
    if result.stale:
        flash(_("Nothing was saved: some marks were changed by someone else since you "
                "loaded the sheet. Check them and save again."), "error")
        status = 409
    else:
        flash(_("Nothing was saved: correct the marked cells."), "error")
        status = 422
    return status, render_cells(cells, result,
                                lambda e, a: judging.CellKey(current_user.id, e, a))
