"""Judge accounts from one workbook: name, username (made up when blank), delegation (for
recusal), trades and role (a chief judge, 裁判长, is chief of the trades named; a deputy chief
judge, 副裁判长, an account with the chief judge role, deputy on them); generated initial
passwords come back once in the report.

Hashing a password takes tens of milliseconds on purpose, so a file of more than
:data:`BACKGROUND_ROWS` accounts (a provincial competition's 1,091 judges take more than a
minute) is checked in the request and written by a background job, with its progress."""

from __future__ import annotations

import re

import sqlalchemy as sa

from competition.domain.messages import N_, Problem
from competition.domain.panel import Position
from competition.domain.roles import Role
from competition.extensions import db
from competition.forms import setup as forms
from competition.models import Event, JudgeAssignment, Trade, User
from competition.services import accounts
from competition.services.imports.report import (
    IN_THE_REQUEST,
    NOT_A_CHOICE,
    ImportReport,
    Options,
    form_problems,
    parse_choice,
    run_import,
    text,
)
from competition.services.judges import credential, lead_position
from competition.spreadsheets.reader import Column
from competition.spreadsheets.writer import SheetSpec, write_workbook

ROLES = {"裁判": "judge", "裁判员": "judge", "judge": "judge", "": "judge",
         "裁判长": "chief_judge", "chief judge": "chief_judge", "chief_judge": "chief_judge",
         "副裁判长": "deputy", "deputy chief judge": "deputy", "deputy": "deputy",
         "监督": "supervisor", "仲裁": "supervisor", "supervisor": "supervisor"}

COLUMNS = (
    Column("name", ("姓名", "Name")),
    Column("username", ("用户名", "Username"), required=False, as_text=True),
    Column("delegation", ("代表团", "Delegation"), required=False),
    Column("trades", ("执裁赛项", "Trades"), required=False),
    Column("role", ("角色", "Role"), required=False),
)


LABELS = {c.key: c.headers[0] for c in COLUMNS}
TRADE_SEPARATORS = re.compile(r"[\s,，、;；/]+")


TITLE = N_("Import judges")
HELP = N_("One row per judge. Leave the username blank to have one made up. Initial passwords "
          "are shown once after the import.")
BACKGROUND_ROWS = 20  # about a second and a half of password hashing


def run(event: Event, data: bytes, _actor=None, _source: str = "",
        options: Options = IN_THE_REQUEST) -> ImportReport:
    """Create judge accounts with generated passwords (returned once in ``report.credentials``)."""
    report = ImportReport()
    rows = _JudgeRows(event, report)

    def write() -> None:
        created = _write(event, rows.pending, options)
        db.session.flush()
        report.created = len(created)
        report.credentials = [credential(a.user, a.password) for a in created]
    return run_import(data, COLUMNS, report, rows.add, write, options)


def _delegations(event: Event) -> dict[str, object]:
    """The event's delegations by code, Chinese and English name, lower-case."""
    delegations = {}
    for d in event.delegations:
        delegations[d.code.lower()] = d
        delegations[d.name_zh.lower()] = d
        if d.name_en:
            delegations[d.name_en.lower()] = d
    return delegations


class _JudgeRows:
    """The rows of one import checked so far; ``pending`` holds the accounts to create."""

    def __init__(self, event: Event, report: ImportReport):
        self.event = event
        self.report = report
        self.delegations = _delegations(event)
        self.trades = {t.code.upper(): t for t in event.trades}
        self.taken = {u.lower() for u in db.session.scalars(sa.select(User.username))}
        self.pending: list[tuple[dict, list[Trade]]] = []
        self.sequence = db.session.scalar(
            sa.select(sa.func.count(User.id)).where(User.event_id == event.id))

    def add(self, row) -> None:
        """Check one row with the judge form; keep it when it has no problem."""
        values = row.values
        role = self._role(row.number, values)
        position = Position.DEPUTY if role == "deputy" else Position.CHIEF
        role = "chief_judge" if role == "deputy" else role
        delegation = self._delegation(row.number, values)
        row_trades = self._trades(row.number, values)
        username = text(values.get("username")) or self._next_username()
        form = form_problems(forms.JudgeForm, {
            "name": values.get("name"), "username": username, "role": role or "judge",
            "delegation_id": str(delegation.id if delegation else 0),
            "position": position.value}, self.report, row.number, LABELS,
            delegation_id=[(delegation.id if delegation else 0, "")],
            trade_ids=[])
        if form is None:
            return
        if form.username.data.lower() in self.taken:
            self.report.add(row.number, Problem(N_("Username %(value)s is taken."),
                                                {"value": form.username.data}), LABELS["username"])
            return
        self.taken.add(form.username.data.lower())
        self.pending.append(({"name": form.name.data, "username": form.username.data,
                              "role": Role(role or "judge"), "delegation": delegation,
                              "position": position.value}, row_trades))

    def _role(self, number: int, values) -> str | None:
        role = parse_choice(values.get("role"), ROLES)
        if role is None:
            self.report.add(number, Problem(NOT_A_CHOICE, {
                "value": text(values.get("role")), "choices": "裁判员/裁判长/副裁判长/监督"}),
                LABELS["role"])
        return role

    def _delegation(self, number: int, values):
        """The judge's delegation (for recusal), or None when the cell is blank or unknown."""
        if not text(values.get("delegation")):
            return None
        delegation = self.delegations.get(text(values["delegation"]).lower())
        if delegation is None:
            self.report.add(number, Problem(N_("Unknown delegation “%(value)s”."),
                                            {"value": text(values["delegation"])}), LABELS["delegation"])
        return delegation

    def _trades(self, number: int, values) -> list[Trade]:
        """The trades named in the cell, by code; each unknown code is reported."""
        row_trades = []
        for code in filter(None, TRADE_SEPARATORS.split(text(values.get("trades")).upper())):
            if code not in self.trades:
                self.report.add(number, Problem(N_("Unknown trade “%(value)s”."), {"value": code}),
                                LABELS["trades"])
            else:
                row_trades.append(self.trades[code])
        return row_trades

    def _next_username(self) -> str:
        """The next made-up username of the event (``hn2026-j0042``) that nobody has."""
        self.sequence += 1
        username = f"{self.event.code.lower()}-j{self.sequence:04d}"
        while username.lower() in self.taken:
            self.sequence += 1
            username = f"{self.event.code.lower()}-j{self.sequence:04d}"
        return username


def _write(event: Event, pending: list[tuple[dict, list[Trade]]], options: Options) -> list:
    """The accounts, each password hashed in turn (the slow part, reported as progress); nothing
    reaches the database before the last one, so the transaction stays short."""
    created = []
    with db.session.no_autoflush:
        for values, row_trades in pending:
            delegation = values["delegation"]
            account = accounts.create_user(values["username"], values["name"], values["role"],
                                           event, delegation_id=delegation.id if delegation else None)
            position = lead_position(account.user, values)
            for trade in dict.fromkeys(row_trades):
                account.user.assignments.append(JudgeAssignment(trade=trade, position=position))
            created.append(account)
            options.report_progress(len(created), len(pending))
    db.session.flush()
    return created


def template(event: Event) -> bytes:
    example_delegation = event.delegations[0].name_zh if event.delegations else "郑州市"
    example_trade = event.trades[0].code if event.trades else "W01"
    return write_workbook([SheetSpec(
        title="裁判 Judges", headers=[c.headers[0] for c in COLUMNS],
        rows=[("张伟", "", example_delegation, example_trade, "裁判员"),
              ("李娜", "lina", "", example_trade, "裁判长"),
              ("王强", "", "", example_trade, "副裁判长")])])
