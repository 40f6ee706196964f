"""Contestants from the delegations' Excel files, all or nothing, safe to import twice.

Each row goes through :func:`competition.services.registration.check_person`; then the rules
across rows and the database: the same person twice in a trade, a delegation over its quota, a
team over its size or spread over two delegations. A person already registered in the trade
(same ID number) is updated, not added again, so re-importing a corrected file never duplicates
anyone.
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
from competition.services.imports.report import IN_THE_REQUEST, ImportReport, Options, run_import, text
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


TITLE = N_("Import contestants")
HELP = N_("One row per contestant. Headers may be in Chinese or English; the trade by code or "
          "name; the team only for pair and team trades. A file with any bad row imports "
          "nothing. Importing the same file again updates people instead of adding them twice.")


def run(event: Event, data: bytes, _actor=None, _source: str = "",
        options: Options = IN_THE_REQUEST) -> ImportReport:
    """Check every row, then register them all or none (see the module docstring)."""
    report = ImportReport()
    batch = _Batch(event, report)
    return run_import(data, COLUMNS, report, batch.add, lambda: _write(
        event, batch.new_rows, batch.updates, batch.teams, report), options)


class _Batch:
    """The rows of one import checked so far, against each other and the event's registrations.

    :meth:`add` reports a row's problems; a row without any is kept as a new contestant
    (``new_rows``) or an update of one already registered in the trade (``updates``).
    """

    def __init__(self, event: Event, report: ImportReport):
        self.report = report
        self.delegations, self.trades = Lookup(event.delegations), Lookup(event.trades)
        self.existing = {(c.trade_id, c.id_number): c for c in db.session.scalars(
            sa.select(Contestant).where(Contestant.event_id == event.id))}
        self.teams = {(e.trade_id, e.team_name): e for e in db.session.scalars(
            sa.select(Entrant).join(Trade)
            .where(Trade.event_id == event.id, Entrant.team_name.is_not(None)))}
        self.members = defaultdict(int, db.session.execute(
            sa.select(Contestant.entrant_id, sa.func.count()).where(Contestant.event_id == event.id)
            .group_by(Contestant.entrant_id)).all())
        self.active = defaultdict(int, {(t, d): n for t, d, n in db.session.execute(
            sa.select(Entrant.trade_id, Entrant.delegation_id, sa.func.count()).join(Trade)
            .where(Trade.event_id == event.id, Entrant.status != EntrantStatus.WITHDRAWN)
            .group_by(Entrant.trade_id, Entrant.delegation_id)).all()})
        self.seen: dict[tuple[int, str], int] = {}
        self.new_rows: list[tuple[int, Trade, object, Person]] = []
        self.updates: list[tuple[Contestant, Person]] = []
        # (trade, team) -> (delegation, rows)
        self.new_teams: dict[tuple[int, str], tuple[int, list[int]]] = {}

    def add(self, row) -> None:
        """Check one row; keep it when it has no problem, and count it against the limits."""
        delegation, trade, person, problems = self._check(row)
        for problem in problems:
            self.report.add(row.number, problem, LABELS.get(problem.column or "", problem.column))
        if problems:
            return
        current = self.existing.get((trade.id, person.id_number))
        if current is not None:
            self.updates.append((current, person))
            return
        self.new_rows.append((row.number, trade, delegation, person))
        if person.team_name and not self._starts_team(row.number, trade, delegation, person):
            return
        self._count_entrant(row.number, trade, delegation)

    def _check(self, row) -> tuple[object, Trade | None, Person, list[Problem]]:
        """The row's delegation, trade and person, with every problem of the row, in order."""
        values = row.values
        problems: list[Problem] = []
        delegation = self.delegations.get(values["delegation"])
        if delegation is None:
            problems.append(Problem(N_("Unknown delegation “%(value)s”."),
                                    {"value": text(values["delegation"])}, column="delegation"))
        trade = self.trades.get(values["trade"])
        problems += _trade_problems(values, trade)
        person = _person(values, trade, problems)
        problems += person.problems
        if trade is not None and person.id_number:
            problems += self._duplicate_problems(row.number, trade, delegation, person)
        if trade is not None and delegation is not None and person.team_name and not problems:
            problems += self._team_problems(trade, delegation, person)
        return delegation, trade, person, problems

    def _duplicate_problems(self, number: int, trade: Trade, delegation, person: Person) -> list[Problem]:
        """The same person earlier in the file for this trade, or registered for another
        delegation; remembers the row for the rows after it."""
        problems = []
        key = (trade.id, person.id_number)
        if key in self.seen:
            problems.append(Problem(N_("The same person is on row %(row)s for this trade."),
                                    {"row": self.seen[key]}, column="id_number"))
        self.seen.setdefault(key, number)
        current = self.existing.get(key)
        if current is not None and delegation is not None and current.delegation_id != delegation.id:
            problems.append(Problem(
                N_("This person is registered in this trade for another delegation."),
                column="id_number"))
        return problems

    def _team_problems(self, trade: Trade, delegation, person: Person) -> list[Problem]:
        """A team registered or started in this file by another delegation."""
        team = self.teams.get((trade.id, person.team_name))
        owner = (team.delegation_id if team
                 else self.new_teams.get((trade.id, person.team_name), (delegation.id,))[0])
        if owner != delegation.id:
            return [Problem(N_("Team “%(team)s” belongs to another delegation."),
                            {"team": person.team_name}, column="team_name")]
        return []

    def _starts_team(self, number: int, trade: Trade, delegation, person: Person) -> bool:
        """Count the row as a member of its team (reported when over the size); true when it is
        the first member of a team new to the trade, that is a new entrant."""
        team = self.teams.get((trade.id, person.team_name))
        if team is not None:
            self.members[team.id] += 1
            if self.members[team.id] > trade.team_size:
                self._report_team_size(number, trade, person)
            return False
        entry = self.new_teams.setdefault((trade.id, person.team_name), (delegation.id, []))
        entry[1].append(number)
        if len(entry[1]) > trade.team_size:
            self._report_team_size(number, trade, person)
        return len(entry[1]) <= 1

    def _report_team_size(self, number: int, trade: Trade, person: Person) -> None:
        self.report.add(number, Problem(N_("Team “%(team)s” would have more than %(size)s members."),
                                        {"team": person.team_name, "size": trade.team_size}),
                        LABELS["team_name"])

    def _count_entrant(self, number: int, trade: Trade, delegation) -> None:
        """Count a new entrant against the delegation's quota in the trade."""
        key = (trade.id, delegation.id)
        self.active[key] += 1
        if trade.quota_per_delegation and self.active[key] > trade.quota_per_delegation:
            self.report.add(number, Problem(
                N_("Over the delegation's quota of %(n)s entrants in this trade."),
                {"n": trade.quota_per_delegation}), LABELS["delegation"])


def _trade_problems(values, trade: Trade | None) -> list[Problem]:
    """An unknown trade, or one signed off."""
    if trade is None:
        return [Problem(N_("Unknown trade “%(value)s”."), {"value": text(values["trade"])}, column="trade")]
    if trade.status == TradeStatus.SIGNED_OFF:
        return [Problem(N_("The trade is signed off: its entrants can no longer change."), column="trade")]
    return []


def _person(values, trade: Trade | None, problems: list[Problem]) -> Person:
    """The row's person checked by :func:`check_person`; an unknown ID type or a birth date that
    is not a date goes into ``problems`` (the person's own problems stay on the person)."""
    id_type = ID_TYPES.get(text(values.get("id_type")).lower())
    if id_type is None:
        problems.append(Problem(N_("Unknown ID type “%(value)s”."),
                                {"value": text(values.get("id_type"))}, column="id_type"))
    born = parse_date(values.get("birth_date"))
    if isinstance(born, str):
        problems.append(Problem(N_("“%(value)s” is not a date."), {"value": born}, column="birth_date"))
        born = None
    return check_person(Person(
        name=text(values["name"]), gender=text(values.get("gender")) or None,
        id_type=id_type or IdType.OTHER, id_number=text(values["id_number"]), birth_date=born,
        employer=text(values.get("employer")), phone=text(values.get("phone")),
        team_name=text(values.get("team_name")) or None, remarks=text(values.get("remarks"))),
        trade)


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
