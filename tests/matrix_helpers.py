"""One world for the access-control matrix and the fuzz tests, and how a response is classed.

Two events; in event A two trades with marking schemes (T1 open for scoring, T2 signed off and
published), entrants of delegations D1 and D2, a judge recused from D1 (their own delegation),
a judge with a declared conflict, and one user per role. Objects a request may delete or change
for good (a delegation, a trade, a scheme part, a judge, a conflict) exist once per role, so the
roles can be tried one after another in one world.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from competition.extensions import db
from competition.models import (Certificate, CertificateSettings, Criterion, ExportJob, JobStatus, Role,
                                TradeStatus)
from competition.services import certificates, judging, results
from tests.conftest import PASSWORD, CleanClient
from tests.results_helpers import add_marks, sign_off

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
    """Plain ids and codes (requests may detach ORM objects from the test's session)."""

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


def build_world(make_event, make_delegation, make_trade, make_user, make_entrant,
                exports_dir: Path | None = None) -> World:
    event, other = make_event("EVA"), make_event("EVB")
    d1 = make_delegation(event, code="D1")
    d2 = make_delegation(event, code="D2")
    t1 = make_trade(event, code="T1", status=TradeStatus.OPEN)
    t2 = make_trade(event, code="T2")
    users = {
        "judge_other_trade": make_user(Role.JUDGE, event, username="judge_t2", trades=[t2]),
        "recused_judge": make_user(Role.JUDGE, event, username="judge_d1", trades=[t1],
                                   delegation=d1),
        "judge": make_user(Role.JUDGE, event, username="judge_t1", trades=[t1]),
        "chief_judge": make_user(Role.CHIEF_JUDGE, event, username="chief_t1", trades=[t1],
                                 chief=True),
        "supervisor": make_user(Role.SUPERVISOR, event, username="supervisor_a"),
        "organizer_other_event": make_user(Role.ORGANIZER, other, username="organizer_b"),
        "organizer": make_user(Role.ORGANIZER, event, username="organizer_a"),
        "administrator": make_user(Role.ADMINISTRATOR, username="admin"),
    }
    e_d1 = make_entrant(t1, d1, draw_number=1)
    e_d2 = make_entrant(t1, d2, draw_number=2)
    e_conflict = make_entrant(t1, d2, draw_number=3)
    judging.declare_conflict(event, users["organizer"], users["judge"],
                             contestant=e_conflict.members[0], reason="former trainer")

    published = [make_entrant(t2, d, draw_number=i + 1) for i, d in enumerate((d1, d2))]
    add_marks(t2, users["judge_other_trade"], {published[0]: (50, 30), published[1]: (40, 20)})
    sign_off(t2)
    results.publish(t2, users["organizer"])
    certificates.issue(event, users["organizer"])

    world = World(event_code=event.code, other_event_code=other.code, d1_code=d1.code,
                  d2_id=d2.id,
                  t1_id=t1.id, t1_code=t1.code, t2_code=t2.code,
                  criterion_id=t1.criteria[0].id,
                  aspect_ids=[a.id for c in t1.criteria for a in c.aspects],
                  e_d1=e_d1.id, e_d2=e_d2.id, e_conflict=e_conflict.id,
                  contestant_id=e_d2.members[0].id,
                  users={role: u.id for role, u in users.items()},
                  usernames={role: u.username for role, u in users.items()})
    for i, role in enumerate(ROLES):
        scheme = make_trade(event, code=f"S{i}")
        criterion = Criterion(code="B", name_zh="理论", position=1)
        scheme.criteria.append(criterion)
        db.session.commit()
        judge = make_user(Role.JUDGE, event, username=f"spare{i}", trades=[t1])
        conflict = judging.declare_conflict(event, users["organizer"], judge, delegation=d2)
        world.spares[role] = Spare(
            delegation_id=make_delegation(event, code=f"SP{i}").id,
            trade_code=make_trade(event, code=f"X{i}").code, scheme_trade_code=scheme.code,
            criterion_id=criterion.id, aspect_id=scheme.criteria[0].aspects[0].id,
            judge_id=judge.id, conflict_id=conflict.id)
    db.session.add(CertificateSettings(event_id=event.id, background=PNG,
                                       background_type="image/png", seal=PNG, seal_type="image/png"))
    job = ExportJob(event_id=event.id, params={}, status=JobStatus.DONE, total=1, done=1,
                    file_name="job-matrix.pdf", download_name="EVA-certificates.pdf")
    db.session.add(job)
    db.session.commit()
    if exports_dir is not None:
        (exports_dir / job.file_name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    world.job_id = job.id
    world.certificate_number = db.session.scalars(sa.select(Certificate.number)).first()
    return world


def logged_in(app, username: str | None) -> CleanClient:
    """A client of its own, logged in as ``username`` (anonymous for None)."""
    client = app.test_client()
    if username is not None:
        response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302, (username, response.status_code)
    return client


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
