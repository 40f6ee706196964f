"""A score sheet's POST may weigh no more than the sheet it comes from.

A judge's sheet of nine cells has no business sending 15.5 MB of fields (which once took 10.5 s
and 636 MB to parse). Every request's form is read before any view runs (the CSRF check and the
refusal of NUL characters do it), so the bound is set before that, in a URL value preprocessor,
which Flask runs ahead of every ``before_request`` function: :data:`PER_CELL` bytes for each
cell of the sheet (three fields: the mark as typed, its version, the loaded text) over a
:data:`BASE` for the token and the reason. A body declared larger is refused at once; one that
turns out larger while it streams is cut off by the same bound. Either way the judge gets the
sheet back, unsaved, with status 413.
"""

from __future__ import annotations

from flask import flash, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from competition.domain.roles import reads_everything, scores
from competition.extensions import db
from competition.judging import chief, forms, judge
from competition.judging.blueprint import bp
from competition.models import Trade
from competition.services import judging
from competition.services.authority import can_oversee, require_judge
from competition.services.errors import NotAllowed
from competition.web.access import belongs, password_change_first

PER_CELL = 1024
BASE = 16 * 1024
# The bounded pages, and whether a page holds one entrant's marks by every judge.
BOUNDED = {"judging.sheet": False, "judging.resolve": True}


def post_limit(cells: int) -> int:
    """The largest POST, in bytes, of a sheet of ``cells`` cells."""
    return BASE + PER_CELL * cells


@bp.url_value_preprocessor
def bound_sheet_posts(endpoint: str | None, values: dict | None) -> None:
    if request.method != "POST" or endpoint not in BOUNDED or not values:
        return
    cells = judging.sheet_size(values["trade_id"], one_entrant=BOUNDED[endpoint])
    request.max_content_length = post_limit(cells)
    request.max_form_parts = 3 * cells + 16
    if request.content_length is not None and request.content_length > post_limit(cells):
        raise RequestEntityTooLarge()


@bp.errorhandler(RequestEntityTooLarge)
def sheet_too_large(_error):
    """The sheet again, unsaved, for whoever may see it; the plain error page otherwise."""
    page = _sheet_again() if request.endpoint in BOUNDED else None
    if page is None:
        return render_template("error.html", code=413), 413
    response = make_response(page, 413)
    response.headers["Cache-Control"] = "no-store"
    return response


def _sheet_again():
    if not current_user.is_authenticated or password_change_first() is not None:
        return None
    trade = db.session.get(Trade, (request.view_args or {}).get("trade_id"))
    if trade is None or not belongs(trade.event):
        return None
    form = forms.SheetForm(formdata=None)
    message = _("Nothing was saved: what was sent is larger than this sheet could ever be.")
    if request.endpoint == "judging.sheet":
        try:
            require_judge(current_user, trade)
        except NotAllowed:
            return None
        flash(message, "error")
        return judge.sheet_page(trade, form)
    if not (scores(current_user.role) or reads_everything(current_user.role)) \
            or not can_oversee(current_user, trade):
        return None
    try:
        data = judging.entrant_marks(current_user, trade, request.view_args["entrant_key"])
    except NotAllowed:
        return None
    flash(message, "error")
    return chief.resolve_page(trade, data, form)
