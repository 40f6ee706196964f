"""Judges: accounts for an event's judges and organizers, their trades (the panels) and the
initial passwords handed out on paper.

A judge never marks their own delegation's entrants. Moving a judge into a delegation whose
entrants they have marked already is refused while those marks stand, unless the organizer
removes them in the same step, with a reason: they are deleted through the one writer of marks
(``judging.record_marks``), each deletion in the audit log.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from competition.domain.accounts import AccountEventKind, username_problem
from competition.domain.messages import N_, Problem
from competition.domain.panel import LEADS, Position
from competition.domain.roles import JUDGING_STAFF, Role
from competition.extensions import db
from competition.models import Delegation, Entrant, Event, JudgeAssignment, Score, Trade, User
from competition.services import accounts, judging
from competition.services.errors import Invalid, NotAllowed, committing
from competition.spreadsheets.writer import SheetSpec, write_workbook


@dataclass(frozen=True)
class Credential:
    """An initial password, shown once and handed out on paper."""

    name: str
    username: str
    password: str
    delegation: str
    trades: str


USERNAME_TAKEN = N_("This username is taken.")
MARKS_OF_NEW_DELEGATION = N_(
    "This judge has %(n)s marks for entrants of this delegation, whom they may not mark. "
    "To change the delegation, remove those marks: tick the box and give the reason.")


def _check_user(event: Event, data: dict, user: User | None) -> None:
    problems: dict[str | None, Problem] = {}
    if problem := username_problem(data["username"]):
        problems["username"] = problem
    elif accounts.username_taken(data["username"], user.id if user else None):
        problems["username"] = Problem(USERNAME_TAKEN)
    delegation_id = data.get("delegation_id")
    delegation = db.session.get(Delegation, delegation_id) if delegation_id else None
    if delegation_id and (delegation is None or delegation.event_id != event.id):
        problems["delegation_id"] = Problem(N_("Choose a delegation of this event."))
    trade_ids = data.get("trade_ids") or ()
    if len(_event_trades(event, trade_ids)) != len(set(trade_ids)):
        problems["trade_ids"] = Problem(N_("Choose trades of this event."))
    if problems:
        raise Invalid(problems)


def _event_trades(event: Event, trade_ids) -> list[Trade]:
    if not trade_ids:
        return []
    return list(db.session.scalars(sa.select(Trade).where(Trade.event_id == event.id,
                                                          Trade.id.in_(trade_ids))))


def lead_position(user: User, data: dict) -> Position:
    """The position a judge form gives its judge on their trades: chief (or, when the form says
    so, deputy) chief judge for an account with the chief judge role, judge for anyone else."""
    if user.role != Role.CHIEF_JUDGE:
        return Position.JUDGE
    wanted = data.get("position") or Position.CHIEF
    return Position(wanted) if wanted in LEADS else Position.CHIEF


def _set_trades(user: User, trades: list[Trade], position: Position) -> None:
    """The judge's panels are ``trades``, on each in ``position``."""
    wanted = {t.id for t in trades}
    for assignment in list(user.assignments):
        if assignment.trade_id not in wanted:
            user.assignments.remove(assignment)
    have = {a.trade_id for a in user.assignments}
    for trade in trades:
        if trade.id not in have:
            user.assignments.append(JudgeAssignment(trade=trade))
    for assignment in user.assignments:
        assignment.position = position


def create_judge(event: Event, data: dict, actor: User | None = None) -> Credential:
    """Add a judge, chief judge or supervisor with a generated password (returned once)."""
    _check_user(event, data, None)
    with committing(Problem(USERNAME_TAKEN), "username"):
        account = accounts.create_user(data["username"], data["name"], Role(data["role"]), event,
                                       delegation_id=data.get("delegation_id") or None,
                                       actor=actor)
        _set_trades(account.user, _event_trades(event, data.get("trade_ids") or ()),
                    lead_position(account.user, data))
    return credential(account.user, account.password)


def marks_for_delegation(user: User, delegation_id: int) -> list[judging.MarkChange]:
    """The deletions of every mark ``user`` gave an entrant of the delegation (any trade)."""
    rows = db.session.execute(
        sa.select(Score.trade_id, Score.entrant_id, Score.aspect_id, Score.version)
        .join(Entrant, Entrant.id == Score.entrant_id)
        .where(Score.judge_id == user.id, Entrant.delegation_id == delegation_id)
        .order_by(Score.id)).all()
    return [judging.MarkChange(judging.CellKey(user.id, r.entrant_id, r.aspect_id), r.trade_id,
                               None, r.version, "") for r in rows]


def update_judge(event: Event, user: User, data: dict, actor: User | None = None) -> User:
    """Change a judge's account. A new delegation is re-checked for recusal: refused while the
    judge has marks for its entrants, unless ``data["remove_marks"]`` and a
    ``data["removal_reason"]`` say to delete them, in the same transaction, audited."""
    if user.role not in JUDGING_STAFF or user.event_id != event.id:
        raise NotAllowed(Problem(N_("This account is not one of this event's judges.")))
    _check_user(event, data, user)
    delegation_id = data.get("delegation_id") or None
    moved = delegation_id != user.delegation_id
    removals = marks_for_delegation(user, delegation_id) if moved and delegation_id else []
    reason = (data.get("removal_reason") or "").strip()
    if removals and not data.get("remove_marks"):
        raise Invalid({"remove_marks": Problem(MARKS_OF_NEW_DELEGATION, {"n": len(removals)})})
    if removals and not reason:
        raise Invalid({"removal_reason": Problem(N_("Give the reason for removing the marks."))})
    with committing(Problem(USERNAME_TAKEN), "username"):
        before = user.delegation.code if user.delegation else ""
        user.name = data["name"]
        user.username = data["username"]
        user.role = Role(data["role"])
        user.delegation_id = delegation_id
        _set_trades(user, _event_trades(event, data.get("trade_ids") or ()),
                    lead_position(user, data))
        db.session.flush()  # a taken username fails here, as a field problem
        if moved:
            after = db.session.get(Delegation, delegation_id).code if delegation_id else ""
            detail = f"{before or '-'} → {after or '-'}" + (f" · {reason}" if removals else "")
            accounts.record(AccountEventKind.DELEGATION_CHANGED, user, actor, detail)
        if removals:
            try:
                # The one writer of marks; it commits this whole step, or nothing of it.
                judging.record_marks(actor, event.id, removals,
                                     f"recusal after a delegation change: {reason}")
            except judging.StaleCells:
                raise NotAllowed(Problem(N_("Marks changed meanwhile; try again."))) from None
    return user


def credential(user: User, password: str) -> Credential:
    return Credential(
        name=user.name, username=user.username, password=password,
        delegation=user.delegation.name_zh if user.delegation else "",
        trades="、".join(a.trade.code for a in user.assignments),
    )


def assign(trade: Trade, user: User, position: Position | str = Position.JUDGE) -> None:
    """Put the judge on the trade's panel in ``position`` (or move them to it)."""
    position = Position(position)
    if user.event_id != trade.event_id or user.role not in JUDGING_STAFF:
        raise NotAllowed(Problem(N_("This account is not one of this event's judges.")))
    if position in LEADS and user.role != Role.CHIEF_JUDGE:
        raise NotAllowed(Problem(N_("Only an account with the chief judge role can lead a panel.")))
    existing = db.session.scalar(sa.select(JudgeAssignment).where(
        JudgeAssignment.trade_id == trade.id, JudgeAssignment.user_id == user.id))
    with committing(Problem(N_("This judge is already on the panel."))):
        if existing is None:
            db.session.add(JudgeAssignment(trade=trade, user=user, position=position))
        else:
            existing.position = position


NOT_EVENT_JUDGES = N_("Some of the chosen accounts are not judges of this event: nobody was added.")
ONE_CHIEF = N_("Choose one account to lead the panel.")
PICKER_PAGE = 20


def assign_many(trade: Trade, user_ids, position: Position | str = Position.JUDGE
                ) -> tuple[int, int]:
    """Add the accounts to the trade's panel in one transaction: (added, already on it).

    All or nothing: an account of another event or of a role that does not judge refuses the
    whole batch; accounts already on the panel are skipped (adding twice is harmless). Leading
    the panel (chief or deputy) is for one account at a time (:func:`assign`, which also moves
    a member already on the panel to the position)."""
    ids = sorted(set(user_ids))
    position = Position(position)
    if position in LEADS:
        if len(ids) != 1:
            raise NotAllowed(Problem(ONE_CHIEF))
        user = db.session.get(User, ids[0])
        if user is None:
            raise NotAllowed(Problem(NOT_EVENT_JUDGES))
        assign(trade, user, position)
        return 1, 0
    users = list(db.session.scalars(sa.select(User).where(User.id.in_(ids)))) if ids else []
    if len(users) != len(ids) or any(
            u.event_id != trade.event_id or u.role not in JUDGING_STAFF for u in users):
        raise NotAllowed(Problem(NOT_EVENT_JUDGES))
    present = set(db.session.scalars(sa.select(JudgeAssignment.user_id).where(
        JudgeAssignment.trade_id == trade.id, JudgeAssignment.user_id.in_(ids))))
    with committing(Problem(N_("This judge is already on the panel."))):
        for user in users:
            if user.id not in present:
                db.session.add(JudgeAssignment(trade=trade, user=user, position=Position.JUDGE))
    return len(users) - len(present), len(present)


def panel_candidates(trade: Trade, query: str, page: int):
    """One page (of :data:`PICKER_PAGE`) of the event's judges not on the trade's panel whose
    name, username or delegation (code or name) contains ``query``, by name."""
    on_panel = sa.select(JudgeAssignment.user_id).where(JudgeAssignment.trade_id == trade.id)
    found = (sa.select(User).outerjoin(Delegation, Delegation.id == User.delegation_id)
             .where(User.event_id == trade.event_id, User.role.in_(JUDGING_STAFF),
                    User.id.not_in(on_panel))
             .options(selectinload(User.delegation)))
    if query:
        like = f"%{query}%"
        found = found.where(sa.or_(User.name.ilike(like), User.username.ilike(like),
                                   Delegation.code.ilike(like), Delegation.name_zh.ilike(like)))
    return db.paginate(found.order_by(User.name, User.id), page=page, per_page=PICKER_PAGE,
                       error_out=False)


def unassign(trade: Trade, user: User) -> None:
    with committing():
        db.session.execute(sa.delete(JudgeAssignment).where(
            JudgeAssignment.trade_id == trade.id, JudgeAssignment.user_id == user.id))


def event_judges(event: Event) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(
        User.event_id == event.id, User.role.in_(JUDGING_STAFF)).order_by(User.name)))


def panel(trade: Trade) -> list[JudgeAssignment]:
    """The trade's panel, chief judge first, then deputies, with each judge's delegation loaded."""
    return list(db.session.scalars(
        sa.select(JudgeAssignment).join(User).where(JudgeAssignment.trade_id == trade.id)
        .options(selectinload(JudgeAssignment.user).selectinload(User.delegation))
        .order_by(sa.case({Position.CHIEF.value: 0, Position.DEPUTY.value: 1},
                          value=JudgeAssignment.position, else_=2), User.name)))


def judge_page(event: Event, filters: dict[str, str], page: int):
    """One page of the event's judges, filtered by name/username, trade, delegation and role."""
    query = (sa.select(User).where(User.event_id == event.id, User.role.in_(JUDGING_STAFF))
             .options(selectinload(User.delegation),
                      selectinload(User.assignments).selectinload(JudgeAssignment.trade)))
    if q := filters.get("q"):
        like = f"%{q}%"
        query = query.where(sa.or_(User.name.ilike(like), User.username.ilike(like)))
    if filters.get("trade"):
        query = query.where(User.assignments.any(
            JudgeAssignment.trade.has(Trade.code == filters["trade"])))
    if filters.get("delegation"):
        query = query.where(User.delegation.has(Delegation.code == filters["delegation"]))
    if filters.get("role") in {r.value for r in JUDGING_STAFF}:
        query = query.where(User.role == filters["role"])
    return db.paginate(query.order_by(User.name, User.id), page=page, per_page=50, error_out=False)


def credentials_sheet(credentials: list[Credential]) -> str:
    """The initial passwords as an Excel sheet to print and hand out, base64-encoded so the
    page can offer it for download without the server ever storing a password."""
    data = write_workbook([SheetSpec(
        title=_("Accounts"),
        headers=[_("Name"), _("Username"), _("Initial password"), _("Delegation"), _("Trades")],
        rows=[(c.name, c.username, c.password, c.delegation, c.trades) for c in credentials],
        widths=[14, 18, 16, 14, 30],
    )])
    return base64.b64encode(data).decode("ascii")


def organizers(event: Event) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(
        User.event_id == event.id, User.role == Role.ORGANIZER).order_by(User.name)))


def create_organizer(event: Event, data: dict, actor: User | None = None) -> Credential:
    """An organizer account for the event (made by an administrator), password shown once."""
    if problem := username_problem(data["username"]):
        raise Invalid({"username": problem})
    if accounts.username_taken(data["username"]):
        raise Invalid({"username": Problem(USERNAME_TAKEN)})
    with committing(Problem(USERNAME_TAKEN), "username"):
        account = accounts.create_user(data["username"], data["name"], Role.ORGANIZER, event,
                                       actor=actor)
    return credential(account.user, account.password)
