"""Contestants from the delegations' Excel files, all or nothing, safe to import twice.

Each row goes through :func:`competition.services.registration.check_person`; then the rules across rows and the
database: the same person twice in a trade, a delegation over its quota, a team over its size or
spread over two delegations. A person already registered in the trade (same ID number) is
updated, not added again, so re-importing a corrected file never duplicates anyone.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from competition.domain.idcard import IdType, check_digit
from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.models import Contestant, Entrant, EntrantStatus, Event, Trade, TradeStatus
from competition.services.errors import committing
from competition.services.imports.report import ImportReport, read_upload, text
from competition.services.registration import Person, check_person, next_numbers
from competition.spreadsheets.reader import Column
from competition.spreadsheets.writer import SheetSpec, write_workbook

COLUMNS = (
    Column("delegation", ("代表团", "Delegation")),
    Column("trade", ("赛项", "Trade")),
    Column("name", ("姓名", "Name")),
    Column("gender", ("性别", "Gender"), required=False),
    Column("id_type", ("证件类型", "ID type"), required=False),
    Column("id_number", ("证件号码", "身份证号码", "身份证号", "ID number"), as_text=True),
    Column("birth_date", ("出生日期", "Birth date"), required=False),
    Column("employer", ("工作单位", "工作单位或学校", "Employer or school", "Employer"), required=False),
    Column("phone", ("联系电话", "手机号码", "Phone"), required=False, as_text=True),
    Column("team_name", ("团队", "团队名称", "Team"), required=False),
    Column("remarks", ("备注", "Remarks"), required=False),
)
LABELS = {c.key: c.headers[0] for c in COLUMNS}
ID_TYPES = {"": IdType.RESIDENT, "居民身份证": IdType.RESIDENT, "身份证": IdType.RESIDENT,
            "resident": IdType.RESIDENT, "resident id": IdType.RESIDENT, "护照": IdType.PASSPORT,
            "passport": IdType.PASSPORT, "港澳居民来往内地通行证": IdType.HK_MACAO,
            "港澳通行证": IdType.HK_MACAO, "hk_macao": IdType.HK_MACAO,
            "台湾居民来往大陆通行证": IdType.TAIWAN, "台胞证": IdType.TAIWAN, "taiwan": IdType.TAIWAN,
            # Residence permits of Hong Kong, Macao and Taiwan residents (居住证) have the resident
            # ID card's format and check character (prefixes 81, 82, 83): checked as one.
            "港澳居民居住证": IdType.RESIDENT, "港澳台居民居住证": IdType.RESIDENT,
            "台湾居民居住证": IdType.RESIDENT,
            "其他": IdType.OTHER, "other": IdType.OTHER}


def parse_date(value: object) -> date | None | str:
    """A date from a cell: a real date, or text like 1998-05-01, 1998/5/1, 1998年5月1日,
    19980501; returns the text back when it is not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = re.fullmatch(r"(\d{4})\D{0,2}?(\d{1,2})\D{0,2}?(\d{1,2})\D?", text(value))
    if match:
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            pass
    return text(value)


class Lookup:
    """Delegations and trades of the event by code, Chinese or English name (case-insensitive)."""

    def __init__(self, items):
        self.items: dict[str, object] = {}
        for item in items:
            for key in (item.code, item.name_zh, item.name_en):
                if key:
                    self.items.setdefault(key.strip().lower(), item)

    def get(self, value: object):
        return self.items.get(text(value).lower())


def import_contestants(event: Event, data: bytes) -> ImportReport:
    """Check every row, then register them all or none (see the module docstring)."""
    report = ImportReport()
    table = read_upload(data, COLUMNS, report)
    if table is None:
        return report
    delegations, trades = Lookup(event.delegations), Lookup(event.trades)
    existing = {(c.trade_id, c.id_number): c for c in db.session.scalars(
        sa.select(Contestant).where(Contestant.event_id == event.id))}
    teams = {(e.trade_id, e.team_name): e for e in db.session.scalars(
        sa.select(Entrant).join(Trade).where(Trade.event_id == event.id, Entrant.team_name.is_not(None)))}
    members = defaultdict(int, db.session.execute(
        sa.select(Contestant.entrant_id, sa.func.count()).where(Contestant.event_id == event.id)
        .group_by(Contestant.entrant_id)).all())
    active = defaultdict(int, {(t, d): n for t, d, n in db.session.execute(
        sa.select(Entrant.trade_id, Entrant.delegation_id, sa.func.count()).join(Trade)
        .where(Trade.event_id == event.id, Entrant.status != EntrantStatus.WITHDRAWN)
        .group_by(Entrant.trade_id, Entrant.delegation_id)).all()})

    seen: dict[tuple[int, str], int] = {}
    new_rows: list[tuple[int, Trade, object, Person]] = []
    updates: list[tuple[Contestant, Person]] = []
    new_teams: dict[tuple[int, str], tuple[int, list[int]]] = {}  # (trade, team) -> (delegation, rows)
    for row in table.rows:
        values = row.values
        problems: list[Problem] = []
        delegation = delegations.get(values["delegation"])
        if delegation is None:
            problems.append(Problem(N_("Unknown delegation “%(value)s”."),
                                    {"value": text(values["delegation"])}, column="delegation"))
        trade = trades.get(values["trade"])
        if trade is None:
            problems.append(Problem(N_("Unknown trade “%(value)s”."),
                                    {"value": text(values["trade"])}, column="trade"))
        elif trade.status == TradeStatus.SIGNED_OFF:
            problems.append(Problem(N_("The trade is signed off: its entrants can no longer change."),
                                    column="trade"))
        id_type = ID_TYPES.get(text(values.get("id_type")).lower())
        if id_type is None:
            problems.append(Problem(N_("Unknown ID type “%(value)s”."),
                                    {"value": text(values.get("id_type"))}, column="id_type"))
        born = parse_date(values.get("birth_date"))
        if isinstance(born, str):
            problems.append(Problem(N_("“%(value)s” is not a date."), {"value": born},
                                    column="birth_date"))
            born = None
        person = check_person(Person(
            name=text(values["name"]), gender=text(values.get("gender")) or None,
            id_type=id_type or IdType.OTHER, id_number=text(values["id_number"]), birth_date=born,
            employer=text(values.get("employer")), phone=text(values.get("phone")),
            team_name=text(values.get("team_name")) or None, remarks=text(values.get("remarks"))),
            trade)
        problems += person.problems
        if trade is not None and person.id_number:
            key = (trade.id, person.id_number)
            if key in seen:
                problems.append(Problem(N_("The same person is on row %(row)s for this trade."),
                                        {"row": seen[key]}, column="id_number"))
            seen.setdefault(key, row.number)
            current = existing.get(key)
            if current is not None and delegation is not None and current.delegation_id != delegation.id:
                problems.append(Problem(N_("This person is registered in this trade for another delegation."),
                                        column="id_number"))
        if trade is not None and delegation is not None and person.team_name and not problems:
            team = teams.get((trade.id, person.team_name))
            owner = team.delegation_id if team else new_teams.get((trade.id, person.team_name), (delegation.id,))[0]
            if owner != delegation.id:
                problems.append(Problem(N_("Team “%(team)s” belongs to another delegation."),
                                        {"team": person.team_name}, column="team_name"))
        for problem in problems:
            report.add(row.number, problem, LABELS.get(problem.column or "", problem.column))
        if problems:
            continue
        current = existing.get((trade.id, person.id_number))
        if current is not None:
            updates.append((current, person))
            continue
        new_rows.append((row.number, trade, delegation, person))
        if person.team_name:
            team = teams.get((trade.id, person.team_name))
            if team is not None:
                members[team.id] += 1
                if members[team.id] > trade.team_size:
                    report.add(row.number, Problem(N_("Team “%(team)s” would have more than %(size)s members."),
                                                   {"team": person.team_name, "size": trade.team_size}),
                               LABELS["team_name"])
                continue
            entry = new_teams.setdefault((trade.id, person.team_name), (delegation.id, []))
            entry[1].append(row.number)
            if len(entry[1]) > trade.team_size:
                report.add(row.number, Problem(N_("Team “%(team)s” would have more than %(size)s members."),
                                               {"team": person.team_name, "size": trade.team_size}),
                           LABELS["team_name"])
            if len(entry[1]) > 1:
                continue
        active[(trade.id, delegation.id)] += 1
        if trade.quota_per_delegation and active[(trade.id, delegation.id)] > trade.quota_per_delegation:
            report.add(row.number, Problem(N_("Over the delegation's quota of %(n)s entrants in this trade."),
                                           {"n": trade.quota_per_delegation}), LABELS["delegation"])
    if not report.ok:
        return report
    with committing():
        _write(event, new_rows, updates, teams, report)
    return report


def _write(event, new_rows, updates, teams, report: ImportReport) -> None:
    # Entrants first, flushed in one go, then contestants by foreign key: setting relationships
    # on thousands of new objects costs more than the inserts themselves.
    trades = {row[1].id: row[1] for row in new_rows}
    counts = Counter(row[1].id for row in new_rows)
    numbers = {trade_id: iter(next_numbers(trades[trade_id], n)) for trade_id, n in counts.items()}
    entrants = []
    for _row, trade, delegation, person in new_rows:
        entrant = teams.get((trade.id, person.team_name)) if person.team_name else None
        if entrant is None:
            entrant = Entrant(trade_id=trade.id, delegation_id=delegation.id,
                              team_name=person.team_name)
            db.session.add(entrant)
            if person.team_name:
                teams[(trade.id, person.team_name)] = entrant
        entrants.append(entrant)
    db.session.flush()
    db.session.add_all([Contestant(
        event_id=event.id, trade_id=trade.id, delegation_id=delegation.id, entrant_id=entrant.id,
        competitor_number=next(numbers[trade.id]), name=person.name, gender=person.gender,
        id_type=person.id_type, id_number=person.id_number, birth_date=person.birth_date,
        employer=person.employer, phone=person.phone, remarks=person.remarks)
        for (_, trade, delegation, person), entrant in zip(new_rows, entrants)])
    for contestant, person in updates:
        changed = False
        for key in ("name", "gender", "id_type", "birth_date", "employer", "phone", "remarks"):
            if getattr(contestant, key) != getattr(person, key):
                setattr(contestant, key, getattr(person, key))
                changed = True
        report.updated += changed
        report.unchanged += not changed
    db.session.flush()
    report.created = len(new_rows)


def _example_id(first17: str) -> str:
    return first17 + check_digit(first17)


def template(event: Event) -> bytes:
    """The import template, with the event's delegations and trades listed on a second sheet."""
    example_trade = next((t for t in event.trades if t.entry_type == "individual"), None)
    pair_trade = next((t for t in event.trades if t.team_size == 2), None)
    delegation = event.delegations[0].name_zh if event.delegations else "郑州市"
    rows = [(delegation, example_trade.code if example_trade else "T01", "张伟", "男", "居民身份证",
             _example_id("41010219990315001"), "", "郑州市技师学院", "13800138000", "", "")]
    if pair_trade:
        rows += [(delegation, pair_trade.code, name, "女", "居民身份证", _example_id(first17), "",
                  "河南工业职业技术学院", "", "一队", "")
                 for name, first17 in (("李娜", "41030220000708002"), ("王芳", "41030220011122004"))]
    return write_workbook([
        SheetSpec(title="选手 Contestants", headers=[c.headers[0] for c in COLUMNS], rows=rows,
                  title_lines=[_("Headers may also be in English. Trade: code or name. "
                                 "Team: only for pair and team trades.")]),
        SheetSpec(title="参考 Reference", headers=[_("Kind"), _("Code"), _("Name")],
                  rows=[(_("Delegation"), d.code, d.name_zh) for d in event.delegations]
                  + [(_("Trade"), t.code, t.name_zh) for t in event.trades]),
    ])
