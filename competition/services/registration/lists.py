"""Lists of an event's registrations: the organizer's list, the summary by trade and
delegation, a trade's entrants, and the Excel lists a venue needs (registration lists and
sign-in sheets, 签到表)."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from competition.domain import labels
from competition.domain.entrants import EntrantStatus
from competition.domain.idcard import mask_id, normalise_id_number
from competition.domain.messages import N_, Problem
from competition.domain.people import mask_phone
from competition.extensions import db
from competition.models import Contestant, Delegation, Entrant, Event, Trade
from competition.services.errors import Invalid
from competition.spreadsheets.writer import SheetSpec, write_workbook

# --- lists ---------------------------------------------------------------------------------------

def contestant_query(event: Event, filters: dict[str, str]):
    """The event's contestants matching the list filters, with what the list shows loaded.

    ``q`` matches names, competitor numbers and employers, never ID numbers: a search box is a
    GET, whose URL lands in access logs, and a supervisor who sees only masked numbers must not
    be able to test a full one. ``id_number`` (the organizers' POSTed search, see
    :func:`find_by_id_number`) matches one number exactly."""
    query = (sa.select(Contestant).join(Contestant.entrant).where(Contestant.event_id == event.id)
             .options(selectinload(Contestant.trade), selectinload(Contestant.delegation),
                      selectinload(Contestant.entrant)))
    if filters.get("trade"):
        query = query.where(Contestant.trade.has(Trade.code == filters["trade"]))
    if filters.get("delegation"):
        query = query.where(Contestant.delegation.has(Delegation.code == filters["delegation"]))
    if filters.get("status") in {s.value for s in EntrantStatus}:
        query = query.where(Entrant.status == filters["status"])
    if q := filters.get("q", "").strip():
        like = f"%{q}%"
        query = query.where(sa.or_(Contestant.name.ilike(like), Contestant.competitor_number.ilike(like),
                                   Contestant.employer.ilike(like)))
    if number := normalise_id_number(filters.get("id_number")):
        query = query.where(Contestant.id_number == number)
    return query.order_by(Contestant.trade_id, Contestant.delegation_id, Contestant.competitor_number)


def contestant_page(event: Event, filters: dict[str, str], page: int):
    return db.paginate(contestant_query(event, filters), page=page, per_page=50, error_out=False)


def find_by_id_number(event: Event, id_number: str):
    """The event's contestants with exactly this ID number (one per trade at most), as a page
    of the list. For organizers, who see full numbers anyway."""
    if not normalise_id_number(id_number):
        raise Invalid({"id_number": Problem(N_("The ID number is missing."))})
    return contestant_page(event, {"id_number": id_number}, 1)


def summary(event: Event) -> dict:
    """Counts of registered (not withdrawn) contestants per trade × delegation, with totals."""
    rows = db.session.execute(
        sa.select(Contestant.trade_id, Contestant.delegation_id, sa.func.count(Contestant.id))
        .join(Contestant.entrant).where(Contestant.event_id == event.id,
                                        Entrant.status != EntrantStatus.WITHDRAWN)
        .group_by(Contestant.trade_id, Contestant.delegation_id)).all()
    cells = {(t, d): n for t, d, n in rows}
    by_trade, by_delegation = Counter(), Counter()
    for (t, d), n in cells.items():
        by_trade[t] += n
        by_delegation[d] += n
    return {"cells": cells, "by_trade": by_trade, "by_delegation": by_delegation,
            "total": sum(cells.values())}


def entrants(trade: Trade) -> list[Entrant]:
    """The trade's entrants with their members, in draw order (undrawn last, by id)."""
    return list(db.session.scalars(
        sa.select(Entrant).where(Entrant.trade_id == trade.id)
        .options(selectinload(Entrant.members), selectinload(Entrant.delegation))
        .order_by(Entrant.draw_number.is_(None), Entrant.draw_number, Entrant.id)))



# --- venue lists ------------------------------------------------------------------------------

def status_label(status: str) -> str:
    return _(labels.ENTRANT_STATUSES[EntrantStatus(status)])


def gender_label(gender: str) -> str:
    return _(labels.GENDERS[gender])


def registration_list(event: Event, filters: dict[str, str], full_ids: bool) -> bytes:
    """Every contestant matching the filters; ID numbers and phones in full for organizers only."""
    contestants = db.session.scalars(contestant_query(event, filters)).all()
    show_id = (lambda v: v) if full_ids else mask_id
    show_phone = (lambda v: v) if full_ids else mask_phone
    rows = [(c.competitor_number, c.entrant.draw_number, c.name, gender_label(c.gender),
             c.delegation.name_zh, c.trade.code, c.trade.name_zh, c.entrant.team_name or "",
             c.employer, show_id(c.id_number), show_phone(c.phone) if c.phone else "",
             status_label(c.entrant.status), c.remarks) for c in contestants]
    return write_workbook([SheetSpec(
        title=_("Registrations"),
        title_lines=[f"{event.name_zh} · {_('Registration list')}"],
        headers=[_("Number"), _("Draw"), _("Name"), _("Gender"), _("Delegation"), _("Trade code"),
                 _("Trade"), _("Team"), _("Employer or school"), _("ID number"), _("Phone"),
                 _("Status"), _("Remarks")],
        rows=rows)])


def sign_in_sheet(trade: Trade) -> bytes:
    """The trade's sign-in sheet in draw order: masked ID for checking, a column to sign."""
    rows = []
    for entrant in entrants(trade):
        if entrant.status == EntrantStatus.WITHDRAWN:
            continue
        for member in entrant.members:
            rows.append((entrant.draw_number or "", member.competitor_number, member.name,
                         entrant.delegation.name_zh, entrant.team_name or "",
                         mask_id(member.id_number), "", ""))
    event = trade.event
    return write_workbook([SheetSpec(
        title=_("Sign-in"),
        title_lines=[event.name_zh, f"{trade.code} {trade.name_zh} · {_('Sign-in sheet')}"],
        headers=[_("Draw"), _("Number"), _("Name"), _("Delegation"), _("Team"), _("ID number"),
                 _("Signature"), _("Time")],
        rows=rows, widths=[8, 12, 12, 14, 14, 22, 18, 10], landscape=False)])


def delegation_sheet(delegation: Delegation) -> bytes:
    """One delegation's contestants across trades: what its team leader checks and signs."""
    contestants = db.session.scalars(
        sa.select(Contestant).join(Contestant.entrant).where(Contestant.delegation_id == delegation.id)
        .options(selectinload(Contestant.trade), selectinload(Contestant.entrant))
        .order_by(Contestant.trade_id, Contestant.competitor_number)).all()
    rows = [(c.trade.code, c.trade.name_zh, c.competitor_number, c.entrant.draw_number or "",
             c.name, gender_label(c.gender), c.entrant.team_name or "", mask_id(c.id_number),
             status_label(c.entrant.status), "") for c in contestants]
    return write_workbook([SheetSpec(
        title=delegation.name_zh,
        title_lines=[delegation.event.name_zh, f"{delegation.name_zh} · {_('Registration list')}"],
        headers=[_("Trade code"), _("Trade"), _("Number"), _("Draw"), _("Name"), _("Gender"),
                 _("Team"), _("ID number"), _("Status"), _("Signature")],
        rows=rows)])



