"""What the scene fixtures of ``tests/app/conftest.py`` return, and the helpers that act on them.

- :class:`Scene` (fixture ``scene``): a small judged trade, open for scoring, with a panel;
  :func:`cell`, :func:`stored`, :func:`fill` and :func:`may_score` enter and read its marks
  through the judging service and the domain's rules.
- :class:`Scenario` (fixture ``scored_trade``): a trade whose entrants have given totals.
- :class:`Competition` (fixture ``competition``): published and provisional trades for exports.
- :class:`World` (fixture ``matrix_world``): the access-control matrix and the fuzz tests' two
  events, in plain ids and codes; :func:`outcome` classes a response for access.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from competition.domain.panel import CellKey, Scorer, cell_problem
from competition.extensions import db
from competition.models import Aspect, AuditEntry, Delegation, Entrant, Event, Score, Trade, User
from competition.services import judging
from tests.app.support.data import count


@dataclass
class Scene:
    event: Event
    delegations: list[Delegation]
    trade: Trade
    aspects: list[Aspect]  # measurement ≤ 10, judgement 0-3 (max 6), panel ≤ 20
    judges: list[User]  # of delegations 0, 1 and none
    chief: User
    organizer: User
    supervisor: User
    entrants: list[Entrant]  # of delegations 0, 1, 2

    @property
    def measurement(self) -> Aspect:
        return self.aspects[0]

    @property
    def judgement(self) -> Aspect:
        return self.aspects[1]

    @property
    def panel(self) -> Aspect:
        return self.aspects[2]


def cell(entrant: Entrant, aspect: Aspect, value: str, version: int | None = None,
         judge: User | None = None) -> judging.CellInput:
    return judging.CellInput(entrant.id, aspect.id, value, version,
                             judge.id if judge is not None else None)


def stored(judge: User, entrant: Entrant, aspect: Aspect) -> Score | None:
    return db.session.scalar(sa.select(Score).where(Score.judge_id == judge.id,
                                                    Score.entrant_id == entrant.id,
                                                    Score.aspect_id == aspect.id))


def audit_count() -> int:
    return count(AuditEntry)


def fill(s: Scene, entrants=None, judges=None, value: str = "2") -> None:
    """Every judge gives every entrant they are not recused from (the domain's rule) ``value``
    on every aspect; a measurement only the first of them (it is entered once)."""
    panel = judging.load_panel(s.trade)
    measured = {(sc.entrant_id, sc.aspect_id) for sc in db.session.scalars(
        sa.select(Score).where(Score.trade_id == s.trade.id))}
    for judge in judges or [*s.judges, s.chief]:
        marks = [cell(e, a, value) for e in entrants or s.entrants for a in s.aspects
                 if panel.recusal(judge.id, e.id) is None
                 and (a.kind != "measurement" or (e.id, a.id) not in measured)]
        measured |= {(c.entrant_id, c.aspect_id) for c in marks}
        result = judging.save_sheet(judge, s.trade, marks)
        assert result.ok, result


def may_score(judge: User, entrant: Entrant, aspect: Aspect):
    """Why ``judge`` may not enter their own mark for ``entrant`` on ``aspect`` (the domain's
    rule for writing a mark, over the trade's panel as loaded from the database), or None."""
    trade = entrant.trade
    aspect_ids = {aspect.id} if aspect.criterion.trade_id == trade.id else set()
    return cell_problem(judging.load_panel(trade), Scorer(judge.id, judge.role),
                        CellKey(judge.id, entrant.id, aspect.id), aspect_ids, trade.status)


@dataclass
class Scenario:
    event: Event
    trade: Trade
    entrants: list[Entrant]
    judge: User


TITLE = {"name_zh": "河南省技术能手", "name_en": "Henan Technical Expert", "up_to_place": 1}


@dataclass
class Competition:
    event: Event
    zz: Delegation
    at: Delegation
    welding: Scenario  # published: 张三丰 gold + title, "=1+1" silver, 李四 bronze, 王五 nothing
    pairs: Scenario  # published pair trade: the winning pair's two members
    cooking: Scenario  # signed off, not published: provisional
    organizer: User


ROLES = ["anonymous", "judge_other_trade", "recused_judge", "judge", "chief_judge", "supervisor",
         "organizer_other_event", "organizer", "administrator"]

# The smallest valid PNG (1×1, transparent): a stored background image for the settings pages.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001" "0d0a2db40000000049454e44ae426082")


@dataclass
class Spare:
    """One role's objects that a request may delete or change for good (ids and codes)."""

    delegation_id: int
    trade_code: str        # deleted by setup.delete_trade
    scheme_trade_code: str  # a trade still being set up, whose scheme parts may be deleted
    criterion_id: int
    aspect_id: int
    judge_id: int          # reset, disabled, taken off the panel
    conflict_id: int


@dataclass
class World:
    """Plain ids and codes (requests may detach ORM objects from the test's session).

    Two events; in event A two trades with marking schemes (T1 open for scoring, T2 signed off
    and published), entrants of delegations D1 and D2, a judge recused from D1 (their own
    delegation), a judge with a declared conflict, and one user per role. Objects a request may
    delete or change for good (a delegation, a trade, a scheme part, a judge, a conflict) exist
    once per role, so the roles can be tried one after another in one world."""

    event_code: str
    other_event_code: str
    d1_code: str
    d2_id: int
    t1_id: int             # open for scoring
    t1_code: str
    t2_code: str           # signed off and published
    criterion_id: int      # T1's
    aspect_ids: list[int]  # T1's
    e_d1: int              # T1 entrants: of delegation D1,
    e_d2: int              # of D2,
    e_conflict: int        # of D2, with a declared conflict of users["judge"]
    contestant_id: int     # the member of e_d2
    users: dict[str, int]  # role -> user id
    usernames: dict[str, str]
    spares: dict[str, Spare] = field(default_factory=dict)
    job_id: int = 0
    certificate_number: str = ""
    paper_entry_id: int = 0  # T1's, of users["judge"], entered by users["organizer"]


def outcome(response, method: str) -> str:
    """What a response means for access: ok, login, forbidden, notfound, or the odd status.

    An allowed POST with an empty or bad body may be answered 400/422 by validation: that is
    still "ok" (it got past the access checks); a refusal must come before any validation."""
    status = response.status_code
    location = response.headers.get("Location", "")
    if status == 302 and location.startswith("/auth/login"):
        return "login"
    if status == 403:
        return "forbidden"
    if status == 404:
        return "notfound"
    if 200 <= status < 400 or (method == "POST" and status in (400, 422)):
        return "ok"
    return f"status {status}"
