"""Fixtures of the app-level tests: an app on a throwaway database, clients, factories, logins,
uploads, the trade's sign-off, and the shared scenes (a judged trade, trades with given totals, a
small competition for the exports, the access-matrix world). Plain helpers are in
``tests/app/support``; no test module defines a fixture another one needs.

The database is a temporary SQLite file unless DATABASE_URL points at PostgreSQL (as .ci/run does);
the schema is made once per session and every table is emptied after each test.
"""

from __future__ import annotations

import functools
import itertools
import os
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from competition import create_app
from competition.extensions import db as _db
from competition.models import (
    Aspect,
    Certificate,
    CertificateSettings,
    Contestant,
    Criterion,
    Delegation,
    Entrant,
    EntryType,
    Event,
    ExportJob,
    JobStatus,
    JudgeAssignment,
    PaperEntry,
    Position,
    Role,
    Trade,
    TradeStatus,
    User,
)
from competition.services import certificates, judging, results
from competition.services.accounts import hash_password
from tests.app.support import (
    PASSWORD,
    PNG,
    ROLES,
    TITLE,
    CleanClient,
    Competition,
    Scenario,
    Scene,
    Spare,
    World,
    add_marks,
    app_settings,
    client_for,
    empty_all_tables,
    event_rule,
    fresh_client,
    log_in,
    post_file,
)

# --- the app and its database -------------------------------------------------------------------

@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1) \
            if url.startswith("postgresql://") else url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(app_settings(database_url, WTF_CSRF_ENABLED=False))
    app.test_client_class = CleanClient
    app.instance_path = str(tmp_path_factory.mktemp("instance"))  # never the repository's
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def db(app):
    """The database, emptied after the test; the test runs inside an app context."""
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        empty_all_tables()


@pytest.fixture
def client(app, request):
    """A test client, reading the app in the browser's default language, or in the one a
    module names with ``pytestmark = pytest.mark.language("en")``."""
    marker = request.node.get_closest_marker("language")
    return fresh_client(app, marker.args[0] if marker else None)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """``login(user)``: log ``user`` in on the test client (through the real login form)."""
    return functools.partial(log_in, client)


@pytest.fixture
def upload(client):
    """``upload(url, data, filename=..., field="file", **form)``: POST a file from the test
    client (see :func:`tests.app.support.post_file`)."""
    return functools.partial(post_file, client)


# --- factories ----------------------------------------------------------------------------------

_counter = itertools.count(1)


@pytest.fixture
def make_event():
    def make(code: str | None = None, **fields) -> Event:
        n = next(_counter)
        event = Event(code=code or f"EV{n}", name_zh=fields.pop("name_zh", f"测试大赛{n}"), **fields)
        _db.session.add(event)
        _db.session.commit()
        return event
    return make


@pytest.fixture
def make_delegation():
    def make(event: Event, code: str | None = None, name_zh: str | None = None) -> Delegation:
        n = next(_counter)
        delegation = Delegation(event=event, code=code or f"D{n}", name_zh=name_zh or f"代表团{n}")
        _db.session.add(delegation)
        _db.session.commit()
        return delegation
    return make


@pytest.fixture
def make_trade():
    def make(event: Event, code: str | None = None, aspects=((Decimal(60), "measurement"),
                                                            (Decimal(40), "measurement")),
             **fields) -> Trade:
        n = next(_counter)
        entry_type = fields.pop("entry_type", EntryType.INDIVIDUAL)
        team_size = fields.pop("team_size",
                               {EntryType.INDIVIDUAL: 1, EntryType.PAIR: 2}.get(entry_type, 3))
        trade = Trade(event=event, code=code or f"T{n}", name_zh=fields.pop("name_zh", f"测试赛项{n}"),
                      entry_type=entry_type, team_size=team_size, **fields)
        if aspects:
            criterion = Criterion(code="A", name_zh="实操", position=0)
            for i, (max_mark, kind) in enumerate(aspects):
                criterion.aspects.append(Aspect(code=f"A{i + 1}", description_zh=f"要素{i + 1}",
                                                kind=kind, max_mark=max_mark, position=i,
                                                decimals=0 if kind == "judgement" else 2))
            trade.criteria.append(criterion)
        _db.session.add(trade)
        _db.session.commit()
        return trade
    return make


@pytest.fixture
def make_user():
    def make(role: Role | str = Role.ORGANIZER, event: Event | None = None, username: str | None = None,
             trades=(), chief: bool = False, delegation: Delegation | None = None,
             position: Position | None = None, **fields) -> User:
        n = next(_counter)
        user = User(username=username or f"user{n}", name=fields.pop("name", f"用户{n}"),
                    role=Role(role), event=event, delegation=delegation,
                    password_hash=hash_password(PASSWORD), **fields)
        for trade in trades:
            user.assignments.append(JudgeAssignment(
                trade=trade, position=position or (Position.CHIEF if chief else Position.JUDGE)))
        _db.session.add(user)
        _db.session.commit()
        return user
    return make


@pytest.fixture
def make_entrant():
    """An entrant of ``trade`` for ``delegation`` with ``members`` contestants (default: the
    trade's team size), each with a distinct made-up ID number."""
    def make(trade: Trade, delegation: Delegation, members: int | None = None,
             names: tuple[str, ...] = (), **fields) -> Entrant:
        entrant = Entrant(trade=trade, delegation=delegation, **fields)
        count = members or trade.team_size
        if trade.team_size > 1 and "team_name" not in fields:
            entrant.team_name = f"{delegation.name_zh}{next(_counter)}队"
        for i in range(count):
            n = next(_counter)
            entrant.members.append(Contestant(
                event_id=trade.event_id, trade=trade, delegation=delegation,
                name=names[i] if i < len(names) else f"选手{n}", gender="M" if n % 2 else "F",
                id_type="passport", id_number=f"P{n:08d}", competitor_number=f"C{n:05d}"))
        _db.session.add(entrant)
        _db.session.commit()
        return entrant
    return make


@pytest.fixture
def sign_off(make_user):
    """``sign_off(trade)``: the trade's chief judge signs it off through the judging service (a
    chief judge of the trade is made if it has none). The trade must be open for scoring. The
    note is always given: a factory's trade may leave entrants without marks on purpose."""
    def sign(trade: Trade, note: str = "signed off by the test factory") -> None:
        chief = _db.session.scalar(sa.select(User).join(JudgeAssignment).where(
            JudgeAssignment.trade_id == trade.id, JudgeAssignment.is_chief.is_(True)))
        if chief is None:
            chief = make_user(Role.CHIEF_JUDGE, trade.event, trades=(trade,), chief=True)
        judging.sign_off(trade, chief, note)
    return sign


# --- organizers ---------------------------------------------------------------------------------

@pytest.fixture
def organizer_account(event, make_user) -> User:
    """The account the ``organizer`` client logs in as: a new organizer of the module's ``event``
    fixture. A module whose world already holds its organizer overrides this fixture."""
    return make_user(Role.ORGANIZER, event)


@pytest.fixture
def organizer(app, organizer_account):
    """A client of its own, in English, logged in as ``organizer_account``."""
    return client_for(app, organizer_account)


# --- scenes -------------------------------------------------------------------------------------

@pytest.fixture
def scene(make_event, make_delegation, make_trade, make_user, make_entrant) -> Scene:
    """A small judged trade open for scoring: three delegations, three judges (of delegations 0,
    1 and none), a chief judge (of delegation 2), an organizer, a supervisor, an entrant per
    delegation."""
    event = make_event()
    delegations = [make_delegation(event) for _ in range(3)]
    trade = make_trade(event, aspects=((Decimal(10), "measurement"), (Decimal(6), "judgement"),
                                       (Decimal(20), "panel")), status=TradeStatus.OPEN)
    aspects = [a for c in trade.criteria for a in c.aspects]
    judges = [make_user(Role.JUDGE, event, trades=(trade,), delegation=delegations[0]),
              make_user(Role.JUDGE, event, trades=(trade,), delegation=delegations[1]),
              make_user(Role.JUDGE, event, trades=(trade,))]
    chief = make_user(Role.CHIEF_JUDGE, event, trades=(trade,), chief=True,
                      delegation=delegations[2])
    entrants = [make_entrant(trade, d, draw_number=i + 1, anonymous_code=f"X{i + 17}")
                for i, d in enumerate(delegations)]
    return Scene(event=event, delegations=delegations, trade=trade, aspects=aspects,
                 judges=judges, chief=chief, organizer=make_user(Role.ORGANIZER, event),
                 supervisor=make_user(Role.SUPERVISOR, event), entrants=entrants)


@pytest.fixture
def scored_trade(make_event, make_delegation, make_trade, make_user, make_entrant, sign_off):
    """``make(totals, ...)``: a trade open for scoring whose entrants (one per delegation unless
    ``delegations`` is given, cycled) have those totals — a number for a one-aspect trade of
    100, a tuple for a trade with ``aspects``; None leaves an entrant without marks. The marks
    are written as rows by a judge outside the panel; the trade is then signed off through the
    service (see ``sign_off``) unless told."""
    def make(totals, event: Event | None = None, delegations: list[Delegation] | None = None,
             aspects=((Decimal(100), "measurement"),), signed_off: bool = True,
             statuses: dict[int, str] | None = None, names: list[str] | None = None,
             **fields) -> Scenario:
        event = event or make_event()
        judge = make_user(Role.JUDGE, event)
        trade = make_trade(event, aspects=aspects, **{"status": TradeStatus.OPEN, **fields})
        entrants, marks = [], {}
        for i, total in enumerate(totals):
            delegation = delegations[i % len(delegations)] if delegations else make_delegation(event)
            extra = {"status": statuses[i]} if statuses and i in statuses else {}
            entrant = make_entrant(trade, delegation, draw_number=i + 1,
                                   names=(names[i],) if names else (), **extra)
            entrants.append(entrant)
            if total is not None:
                marks[entrant] = total if isinstance(total, tuple) else (total,)
        add_marks(trade, judge, marks)
        if signed_off:
            sign_off(trade)
        return Scenario(event, trade, entrants, judge)
    return make


@pytest.fixture
def competition(scored_trade, make_event, make_delegation, make_user) -> Competition:
    """A small competition with published and provisional trades, names that look like
    formulas, and a team (see :class:`~tests.app.support.Competition`)."""
    event = make_event(code="HN2026", name_zh="河南省第二届职业技能大赛",
                       name_en="2nd Henan Vocational Skills Competition",
                       organizer_name="河南省人力资源和社会保障厅",
                       start_date=date(2026, 11, 20), end_date=date(2026, 11, 23))
    event_rule(event, method="places", labels="medals", titles=[TITLE])
    zz = make_delegation(event, "ZZ", "郑州市")
    at = make_delegation(event, "AT", "@x")
    welding = scored_trade([(50, 40), (45, 35), (40, 30), (30, 30)], event=event,
                           delegations=[zz, at], names=["张三丰", "=1+1", "李四", "王五"],
                           aspects=((60, "measurement"), (40, "measurement")),
                           code="T01", name_zh="焊接", name_en="Welding")
    pairs = scored_trade([88, 77], event=event, delegations=[zz, at], code="T02",
                         name_zh="机电一体化", entry_type=EntryType.PAIR)
    cooking = scored_trade([66, 55], event=event, delegations=[zz, at], code="T03",
                           name_zh="烹饪", names=["+赵六", "-钱七"])
    for scenario in (welding, pairs):
        results.publish(scenario.trade, None)
    return Competition(event, zz, at, welding, pairs, cooking, make_user(Role.ORGANIZER, event))


@pytest.fixture
def matrix_world(app, tmp_path, monkeypatch, make_event, make_delegation, make_trade, make_user,
                 make_entrant, sign_off) -> World:
    """The access matrix's and the fuzz tests' world (see :class:`~tests.app.support.World`),
    with the exports directory in ``tmp_path``."""
    monkeypatch.setitem(app.config, "EXPORTS_DIR", str(tmp_path))
    event, other = make_event("EVA"), make_event("EVB")
    d1 = make_delegation(event, code="D1")
    d2 = make_delegation(event, code="D2")
    t1 = make_trade(event, code="T1", status=TradeStatus.OPEN)
    t2 = make_trade(event, code="T2", status=TradeStatus.OPEN)
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
        _db.session.commit()
        judge = make_user(Role.JUDGE, event, username=f"spare{i}", trades=[t1])
        conflict = judging.declare_conflict(event, users["organizer"], judge, delegation=d2)
        world.spares[role] = Spare(
            delegation_id=make_delegation(event, code=f"SP{i}").id,
            trade_code=make_trade(event, code=f"X{i}").code, scheme_trade_code=scheme.code,
            criterion_id=criterion.id, aspect_id=scheme.criteria[0].aspects[0].id,
            judge_id=judge.id, conflict_id=conflict.id)
    _db.session.add(CertificateSettings(event_id=event.id, background=PNG,
                                        background_type="image/png", seal=PNG,
                                        seal_type="image/png"))
    job = ExportJob(event_id=event.id, params={}, status=JobStatus.DONE, total=1, done=1,
                    file_name="job-matrix.pdf", download_name="EVA-certificates.pdf")
    _db.session.add(job)
    entry = PaperEntry(event_id=event.id, trade_id=t1.id, judge_id=users["judge"].id,
                       entered_by_id=users["organizer"].id, source="matrix.xlsx")
    _db.session.add(entry)
    _db.session.commit()
    world.paper_entry_id = entry.id
    (tmp_path / job.file_name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    world.job_id = job.id
    world.certificate_number = _db.session.scalars(sa.select(Certificate.number)).first()
    return world
