"""Registering contestants: the checks on a person, quotas, teams and numbers.

One function, :func:`check_person`, holds every rule about a single person; the form and the
Excel import both go through it, so a row refused in one is refused in the other for the same
reason. Rules that need the database (a person twice in a trade, the delegation's quota, a full
team) are checked by :func:`register` and by the import against the rows it is about to add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from competition.domain.entrants import EntrantStatus, EntryType
from competition.domain.idcard import IdType, birth_date_and_gender, normalise_id_number, validate_id
from competition.domain.messages import N_, Problem
from competition.domain.people import (
    normalise_name,
    normalise_phone,
    parse_gender,
    validate_name,
    validate_phone,
)
from competition.domain.trade_state import entrants_problem
from competition.extensions import db
from competition.models import Contestant, Delegation, Entrant, Event, Trade
from competition.services.errors import Invalid, NotAllowed, committing


@dataclass
class Person:
    """One person's registration, as typed or read from a row, before and after cleaning."""

    name: str
    gender: str | None
    id_type: str
    id_number: str
    birth_date: date | None = None
    employer: str = ""
    phone: str = ""
    team_name: str | None = None
    remarks: str = ""
    problems: list[Problem] = field(default_factory=list)


def check_person(person: Person, trade: Trade | None) -> Person:
    """Normalise a person's fields and list every problem with them (in ``person.problems``).

    Names keep middle dots and lose stray spaces; ID numbers are upper-cased and folded to
    half-width; a resident ID fills a missing birth date and gender and must agree with given
    ones; the phone is optional but must be a real number when given; a team trade needs a team
    name, an individual trade ignores one.
    """
    problems: list[Problem] = []
    person.name = normalise_name(person.name or "")
    problems += validate_name(person.name)
    try:
        id_type = IdType(person.id_type or IdType.RESIDENT)
    except ValueError:
        problems.append(Problem(N_("Unknown ID type."), column="id_type"))
        id_type = IdType.OTHER
    person.id_type = id_type
    person.id_number = normalise_id_number(person.id_number)
    if not person.id_number:
        problems.append(Problem(N_("The ID number is missing."), column="id_number"))
    else:
        problems += validate_id(id_type, person.id_number, person.birth_date, person.gender)
    born, sex = birth_date_and_gender(id_type, person.id_number)
    person.birth_date = person.birth_date or born
    gender = parse_gender(person.gender) if person.gender else sex
    if gender is None:
        problems.append(Problem(N_("Give the gender (男 or 女)."), column="gender"))
    person.gender = gender.value if gender else None
    problems += validate_phone(person.phone)
    person.phone = normalise_phone(person.phone)
    person.employer = re.sub(r"\s+", " ", person.employer or "").strip()[:200]
    person.remarks = (person.remarks or "").strip()[:500]
    if trade is not None:
        team = normalise_name(person.team_name or "") or None
        if trade.entry_type == EntryType.INDIVIDUAL:
            person.team_name = None
        elif not team:
            problems.append(Problem(N_("This trade is for teams: give the team's name."),
                                    column="team_name"))
        else:
            person.team_name = team[:100]
    person.problems = problems
    return person


# --- rules that need the database ----------------------------------------------------------------

def active_entrants(trade_id: int, delegation_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(Entrant.id)).where(
        Entrant.trade_id == trade_id, Entrant.delegation_id == delegation_id,
        Entrant.status != EntrantStatus.WITHDRAWN)) or 0


def quota_problem(trade: Trade, entrants_after: int) -> Problem | None:
    """A delegation may send at most the trade's quota of entrants (withdrawn ones not counted)."""
    if trade.quota_per_delegation and entrants_after > trade.quota_per_delegation:
        return Problem(N_("The delegation's quota for this trade is %(n)s entrants."),
                       {"n": trade.quota_per_delegation}, column="delegation")
    return None


def team_full_problem(trade: Trade, members_after: int) -> Problem | None:
    if members_after > trade.team_size:
        return Problem(N_("The team has %(n)s members already; the trade allows %(size)s."),
                       {"n": members_after - 1, "size": trade.team_size}, column="team_name")
    return None


def next_numbers(trade: Trade, count: int) -> list[str]:
    """``count`` new competitor numbers for the trade: its code and a running number."""
    existing = db.session.scalars(sa.select(Contestant.competitor_number)
                                  .where(Contestant.trade_id == trade.id))
    used = [int(n.rsplit("-", 1)[1]) for n in existing if n.rsplit("-", 1)[-1].isdigit()]
    start = max(used, default=0) + 1
    return [f"{trade.code}-{n:03d}" for n in range(start, start + count)]


def find_team(trade: Trade, delegation: Delegation, team_name: str) -> Entrant | None:
    return db.session.scalar(sa.select(Entrant).where(
        Entrant.trade_id == trade.id, Entrant.delegation_id == delegation.id,
        Entrant.team_name == team_name))


def _registration_open(trade: Trade) -> None:
    if problem := entrants_problem(trade.status):
        raise NotAllowed(problem)


def register(event: Event, trade: Trade, delegation: Delegation, person: Person) -> Contestant:
    """Register one person (checked with :func:`check_person` first) or raise Invalid."""
    _registration_open(trade)
    check_person(person, trade)
    problems = {p.column: p for p in reversed(person.problems)}
    if person.id_number and db.session.scalar(sa.select(Contestant.id).where(
            Contestant.trade_id == trade.id, Contestant.id_number == person.id_number)):
        problems["id_number"] = Problem(N_("This person is registered in this trade already."))
    entrant = find_team(trade, delegation, person.team_name) if person.team_name else None
    if entrant is None:
        if problem := quota_problem(trade, active_entrants(trade.id, delegation.id) + 1):
            problems["delegation"] = problem
    elif problem := team_full_problem(trade, len(entrant.members) + 1):
        problems["team_name"] = problem
    if problems:
        raise Invalid(problems)
    with committing(Problem(N_("This person is registered in this trade already.")), "id_number"):
        if entrant is None:
            entrant = Entrant(trade=trade, delegation=delegation, team_name=person.team_name)
            db.session.add(entrant)
        contestant = Contestant(event_id=event.id, trade=trade, delegation=delegation,
                                entrant=entrant, competitor_number=next_numbers(trade, 1)[0],
                                **_person_fields(person))
        db.session.add(contestant)
    return contestant


def _person_fields(person: Person) -> dict:
    return {"name": person.name, "gender": person.gender, "id_type": person.id_type,
            "id_number": person.id_number, "birth_date": person.birth_date,
            "employer": person.employer, "phone": person.phone, "remarks": person.remarks}


def update(contestant: Contestant, person: Person) -> Contestant:
    """Correct a contestant's personal details (trade, delegation and team stay)."""
    _registration_open(contestant.trade)
    person.team_name = contestant.entrant.team_name
    check_person(person, contestant.trade)
    problems = {p.column: p for p in reversed(person.problems)}
    if db.session.scalar(sa.select(Contestant.id).where(
            Contestant.trade_id == contestant.trade_id, Contestant.id_number == person.id_number,
            Contestant.id != contestant.id)):
        problems["id_number"] = Problem(N_("This person is registered in this trade already."))
    if problems:
        raise Invalid(problems)
    with committing(Problem(N_("This person is registered in this trade already.")), "id_number"):
        for key, value in _person_fields(person).items():
            setattr(contestant, key, value)
    return contestant


def set_status(entrant: Entrant, status: EntrantStatus, reason: str) -> None:
    """Withdraw, mark absent, disqualify or reinstate an entrant; a reason is required except to
    reinstate. Leaving "withdrawn" for any other status counts against the delegation's quota
    again (only withdrawn entrants are not counted)."""
    _registration_open(entrant.trade)
    if status != EntrantStatus.REGISTERED and not reason.strip():
        raise Invalid({"reason": Problem(N_("Give the reason."))})
    if status != EntrantStatus.WITHDRAWN and entrant.status == EntrantStatus.WITHDRAWN:
        if problem := quota_problem(entrant.trade,
                                    active_entrants(entrant.trade_id, entrant.delegation_id) + 1):
            raise Invalid({"reason": problem})
    with committing():
        entrant.status = status
        entrant.status_reason = reason.strip()[:300]


