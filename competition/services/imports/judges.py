"""Judge accounts from one workbook: name, username (made up when blank), delegation (for
recusal), trades and role; generated initial passwords come back once in the report."""

from __future__ import annotations

import re

import sqlalchemy as sa

from competition.domain.messages import N_, Problem
from competition.domain.roles import Role
from competition.extensions import db
from competition.forms import setup as forms
from competition.models import Event, JudgeAssignment, Trade, User
from competition.services import accounts
from competition.services.errors import committing
from competition.services.imports.report import (NOT_A_CHOICE, ImportReport, form_problems,
                                                 parse_choice, read_upload, text)
from competition.services.judges import credential
from competition.spreadsheets.reader import Column
from competition.spreadsheets.writer import SheetSpec, write_workbook

ROLES = {"裁判": "judge", "裁判员": "judge", "judge": "judge", "": "judge",
         "裁判长": "chief_judge", "chief judge": "chief_judge", "chief_judge": "chief_judge",
         "监督": "supervisor", "仲裁": "supervisor", "supervisor": "supervisor"}

JUDGE_COLUMNS = (
    Column("name", ("姓名", "Name")),
    Column("username", ("用户名", "Username"), required=False, as_text=True),
    Column("delegation", ("代表团", "Delegation"), required=False),
    Column("trades", ("执裁赛项", "Trades"), required=False),
    Column("role", ("角色", "Role"), required=False),
)


def import_judges(event: Event, data: bytes) -> ImportReport:
    """Create judge accounts with generated passwords (returned once in ``report.credentials``)."""
    report = ImportReport()
    table = read_upload(data, JUDGE_COLUMNS, report)
    if table is None:
        return report
    labels = {c.key: c.headers[0] for c in JUDGE_COLUMNS}
    delegations = {}
    for d in event.delegations:
        delegations[d.code.lower()] = d
        delegations[d.name_zh.lower()] = d
        if d.name_en:
            delegations[d.name_en.lower()] = d
    trades = {t.code.upper(): t for t in event.trades}
    taken = {u.lower() for u in db.session.scalars(sa.select(User.username))}
    pending: list[tuple[dict, list[Trade]]] = []
    sequence = db.session.scalar(sa.select(sa.func.count(User.id)).where(User.event_id == event.id))
    for row in table.rows:
        values = row.values
        role = parse_choice(values.get("role"), ROLES)
        if role is None:
            report.add(row.number, Problem(NOT_A_CHOICE, {"value": text(values.get("role")),
                                                          "choices": "裁判员/裁判长/监督"}), labels["role"])
        delegation = None
        if text(values.get("delegation")):
            delegation = delegations.get(text(values["delegation"]).lower())
            if delegation is None:
                report.add(row.number, Problem(N_("Unknown delegation “%(value)s”."),
                                               {"value": text(values["delegation"])}), labels["delegation"])
        row_trades = []
        for code in filter(None, re.split(r"[\s,，、;；/]+", text(values.get("trades")).upper())):
            if code not in trades:
                report.add(row.number, Problem(N_("Unknown trade “%(value)s”."), {"value": code}),
                           labels["trades"])
            else:
                row_trades.append(trades[code])
        username = text(values.get("username"))
        if not username:
            sequence += 1
            username = f"{event.code.lower()}-j{sequence:04d}"
            while username.lower() in taken:
                sequence += 1
                username = f"{event.code.lower()}-j{sequence:04d}"
        form = form_problems(forms.JudgeForm, {
            "name": values.get("name"), "username": username, "role": role or "judge",
            "delegation_id": str(delegation.id if delegation else 0)}, report, row.number, labels,
            delegation_id=[(delegation.id if delegation else 0, "")],
            trade_ids=[])
        if form is None:
            continue
        if form.username.data.lower() in taken:
            report.add(row.number, Problem(N_("Username %(value)s is taken."),
                                           {"value": form.username.data}), labels["username"])
            continue
        taken.add(form.username.data.lower())
        pending.append(({"name": form.name.data, "username": form.username.data,
                         "role": Role(role or "judge"), "delegation": delegation}, row_trades))
    if not report.ok:
        return report
    with committing():
        created = _write(event, pending)
    report.created = len(created)
    report.credentials = [credential(a.user, a.password) for a in created]
    return report


def _write(event: Event, pending: list[tuple[dict, list[Trade]]]) -> list:
    created = []
    for values, row_trades in pending:
        account = accounts.create_user(values["username"], values["name"], values["role"], event,
                                       delegation_id=values["delegation"].id if values["delegation"] else None)
        for trade in dict.fromkeys(row_trades):
            account.user.assignments.append(JudgeAssignment(trade=trade))
        created.append(account)
    db.session.flush()
    return created


def template(event: Event) -> bytes:
    example_delegation = event.delegations[0].name_zh if event.delegations else "郑州市"
    example_trade = event.trades[0].code if event.trades else "W01"
    return write_workbook([SheetSpec(
        title="裁判 Judges", headers=[c.headers[0] for c in JUDGE_COLUMNS],
        rows=[("张伟", "", example_delegation, example_trade, "裁判员"),
              ("李娜", "lina", "", example_trade, "裁判长")])])
