"""The judge's sheet saved in the background (JSON, cell by cell) and the service worker that
keeps the judge's pages loadable without network.

``POST /judge/trades/<id>/sheet/cells`` takes ``{"cells": [{"cell": "<row>-<aspect>", "value":
"4.5", "version": 3}], "reason": ""}`` with the CSRF token in the ``X-CSRFToken`` header and
answers per cell ``saved`` (its new version), ``refused`` (the reason, translated) or ``stale``
(the server's value and version). Unlike the pages it answers JSON when it refuses: 401 when the
session ended (the page asks for the password in place), 400 for a bad token or body. The CSRF
check is made here, after the session's, so that an ended session reads as such.
"""

from __future__ import annotations

import re

from flask import current_app, jsonify, request, send_from_directory
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms import ValidationError

from competition.extensions import csrf
from competition.judging.blueprint import JUDGES, bp
from competition.judging.cells import UNKNOWN_ROW
from competition.models import Trade
from competition.services import judging
from competition.services.authority import require_judge
from competition.services.errors import NotAllowed
from competition.web.loaders import trade_by_id_or_404

MAX_CELLS = 50
MAX_BYTES = 64 * 1024
_NAME = re.compile(r"^([0-9a-z]{1,20})-(\d{1,10})$")


def _refusal(status: int, error: str, reason: str):
    return jsonify(error=error, reason=reason), status


@bp.post("/trades/<int:trade_id>/sheet/cells")
@csrf.exempt
def save_cells(trade_id: int):
    if not current_user.is_authenticated:
        return _refusal(401, "session", _("Your session has ended. Log in again to save."))
    if current_user.role not in JUDGES:
        return _refusal(403, "role", _("Only judges save marks here."))
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except (ValidationError, CSRFError):
            return _refusal(400, "csrf", _("The page is out of date. Reload it to save."))
    request.max_content_length = MAX_BYTES
    trade = trade_by_id_or_404(trade_id)
    try:
        require_judge(current_user, trade)
    except NotAllowed as refusal:
        return _refusal(403, "judge", refusal.problem.render(_))
    cells = _cells(request.get_json(silent=True), trade)
    if cells is None:
        return _refusal(400, "body", _("Nothing was saved: the request was not understood."))
    body = request.get_json(silent=True) or {}
    reason = body.get("reason") if isinstance(body.get("reason"), str) else ""
    outcomes = judging.save_cells(current_user, trade, [c for _n, c in cells], reason[:500])
    return jsonify(cells=[_answer(name, o) for (name, _c), o in zip(cells, outcomes, strict=True)])


def _cells(body, trade: Trade):
    """(name, CellInput) of each cell of the body, None when it is not a batch of cells."""
    if not isinstance(body, dict) or not isinstance(body.get("cells"), list) \
            or not 0 < len(body["cells"]) <= MAX_CELLS:
        return None
    rows = judging.entrants_by_key(trade)
    cells = []
    for item in body["cells"]:
        if not isinstance(item, dict):
            return None
        name, value, version = item.get("cell"), item.get("value"), item.get("version")
        match = _NAME.match(name) if isinstance(name, str) else None
        if match is None or not isinstance(value, str) or len(value) > 40 \
                or not (version is None or (isinstance(version, int) and version >= 0)):
            return None
        row = rows.get(match[1])
        cells.append((name, judging.CellInput(UNKNOWN_ROW if row is None else row,
                                              int(match[2]), value, version)))
    return cells


def _answer(name: str, outcome: judging.CellOutcome) -> dict:
    answer = {"cell": name, "state": outcome.state, "version": outcome.version}
    if outcome.state == "saved":
        answer["value"] = "" if outcome.current is None else judging.format_mark(outcome.current)
    if outcome.state == "stale":
        answer["current"] = "" if outcome.current is None else judging.format_mark(outcome.current)
    if outcome.problem is not None:
        answer["reason"] = outcome.problem.render(_)
    return answer


@bp.get("/sw.js")
def service_worker():
    """The service worker, served from /judge/ so that its scope covers the judge's pages."""
    response = send_from_directory(current_app.static_folder, "js/sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/judge/"
    return response
