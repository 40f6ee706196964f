"""Two-person entry of paper marking sheets: the event's paper entries (organizers and
supervisors see every trade's, chief and deputy chief judges their trades'), one entry cell by
cell, and its confirmation (a button, or the sheet typed in again) or rejection with a reason,
by a second person (the service and ``competition.domain.paper_entry`` decide who)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from competition.domain.messages import Problem
from competition.forms.setup import UploadForm
from competition.judging import forms
from competition.judging.blueprint import EVERYONE, JUDGES, bp, no_store
from competition.models import Event, PaperEntry
from competition.services import imports
from competition.services.authority import can_oversee, overseen_trades
from competition.web.access import ORGANIZING, refuse
from competition.web.actions import attempt, submit
from competition.web.loaders import for_event, in_event_or_404

DECIDERS = (*ORGANIZING, *JUDGES)
"""Who may post a decision (the chief judges among the judges, as the service checks);
supervisors read the entries, never decide them."""


def _entry_or_404(event: Event, entry_id: int) -> PaperEntry:
    """The event's entry (404 otherwise), if the user oversees its trade (403 otherwise)."""
    entry = in_event_or_404(PaperEntry, entry_id, event)
    if not can_oversee(current_user, entry.trade):
        refuse(f"paper entry {entry_id}: does not oversee trade {entry.trade_id}")
    return entry


def _back(event: Event, entry_id: int):
    return redirect(url_for(".paper_entry", event_code=event.code, entry_id=entry_id))


@bp.get("/events/<event_code>/paper-entries")
@for_event(*EVERYONE)
@no_store
def paper_entries(event: Event):
    if not overseen_trades(current_user, event.id):
        refuse("oversees no trade")
    return render_template("judging/paper_entries.html", event=event,
                           entries=imports.paper_entries(event, current_user))


def _page(event: Event, entry, upload: UploadForm, reject: forms.ReasonForm,
          typing: imports.PaperTyping | None = None, status: int = 200):
    refusal: Problem | None = imports.paper_refusal(current_user, entry)
    aspects = {c.aspect_id: c.aspect for c in entry.cells}
    entrants = {c.entrant_id: c.entrant for c in entry.cells}
    return render_template(
        "judging/paper_entry.html", event=event, entry=entry, refusal=refusal,
        upload_form=upload, reject_form=reject, typing=typing, report=typing and typing.report,
        aspects=aspects, entrants=entrants), status


@bp.get("/events/<event_code>/paper-entries/<int:entry_id>")
@for_event(*EVERYONE)
@no_store
def paper_entry(event: Event, entry_id: int):
    return _page(event, _entry_or_404(event, entry_id), UploadForm(), forms.ReasonForm())


@bp.post("/events/<event_code>/paper-entries/<int:entry_id>/confirm")
@for_event(*DECIDERS)
def confirm_paper_entry(event: Event, entry_id: int):
    _entry_or_404(event, entry_id)
    attempt(lambda: imports.confirm_paper(event, current_user, entry_id),
            _("Paper entry confirmed: its marks count."))
    return _back(event, entry_id)


@bp.post("/events/<event_code>/paper-entries/<int:entry_id>/reject")
@for_event(*DECIDERS)
def reject_paper_entry(event: Event, entry_id: int):
    entry = _entry_or_404(event, entry_id)
    form = forms.ReasonForm()
    done = submit(form, lambda: imports.reject_paper(event, current_user, entry_id,
                                                     form.reason.data),
                  _("Paper entry rejected: none of its marks count."))
    if done or done.refusal is not None:
        return _back(event, entry_id)
    return _page(event, entry, UploadForm(), form, status=422)


@bp.post("/events/<event_code>/paper-entries/<int:entry_id>/typing")
@for_event(*DECIDERS)
def confirm_paper_typing(event: Event, entry_id: int):
    entry = _entry_or_404(event, entry_id)
    form = UploadForm()
    done = submit(form, lambda: imports.confirm_paper_by_typing(
        event, current_user, entry_id, form.file.data.read()))
    if done.refusal is not None:
        return _back(event, entry_id)
    if done and done.value.written is not None:
        flash(_("The second typing agrees cell by cell: the entry is confirmed and its marks "
                "count."), "success")
        return _back(event, entry_id)
    return _page(event, entry, form, forms.ReasonForm(), done.value if done else None,
                 status=422)
