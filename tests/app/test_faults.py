"""Faults: the database going away mid-request, or a save failing half-way, loses nothing that
was committed and leaves nothing half-written; the next request works again."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Contestant, Delegation, Entrant, Role, Trade
from tests.app.support import resident_id, workbook


def kill_connection_before_commit(session, *_):
    """Drop the session's database connection the moment it tries to commit."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with db.engine.connect() as other:
            other.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
            other.commit()
    else:
        connection.connection.dbapi_connection.close()


@pytest.fixture(autouse=True)
def errors_as_pages(app, monkeypatch):
    """Answer failures with the error page, as in production, instead of raising in the test."""
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)


@pytest.fixture
def fault(app):
    """Arm the fault for the next commit only."""
    armed = []

    def once(session, *args):
        if armed:
            armed.pop()
            kill_connection_before_commit(session)

    sa.event.listen(sa.orm.Session, "before_commit", once)
    yield lambda: armed.append(True)
    sa.event.remove(sa.orm.Session, "before_commit", once)


@pytest.fixture
def event_setup(make_event, make_delegation, make_trade, make_user, login):
    event = make_event(code="HN")
    delegation = make_delegation(event, code="ZZ", name_zh="郑州市")
    trade = make_trade(event, code="T01", quota_per_delegation=5)
    login(make_user(Role.ORGANIZER, event))
    return event, delegation, trade


def contestants() -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(sa.func.count(Contestant.id)))


def register(client, event, delegation, trade, name, id_number):
    return client.post(f"/manage/events/{event.code}/contestants/new", data={
        "name": name, "id_type": "resident", "id_number": id_number, "gender": "",
        "delegation_id": delegation.id, "trade_id": trade.id, "employer": "", "phone": "",
        "remarks": "", "team_name": ""})


def test_database_gone_during_a_registration(client, event_setup, fault):
    event, delegation, trade = event_setup
    first, second = valid_ids(2)
    assert register(client, event, delegation, trade, "张伟", first).status_code == 302
    fault()
    response = register(client, event, delegation, trade, "李娜", second)
    assert response.status_code == 500
    assert "未保存任何内容" in response.get_data(as_text=True)  # "Nothing was saved", in Chinese
    assert contestants() == 1  # the committed one survives, the failed one left nothing
    assert db.session.scalar(sa.select(sa.func.count(Entrant.id))) == 1
    # the app recovers: the next request gets a fresh connection
    assert register(client, event, delegation, trade, "李娜", second).status_code == 302
    assert contestants() == 2


HEADER = ["代表团", "赛项", "姓名", "性别", "证件号码"]


def contestants_file(rows) -> bytes:
    return workbook(("Sheet", [HEADER, *rows]))


def valid_ids(count: int) -> list[str]:
    return [resident_id(date(1990, 1, 1), n) for n in range(count)]


def test_database_gone_during_an_import_leaves_no_row(upload, event_setup, fault):
    event, delegation, trade = event_setup
    trade_b = db.session.get(Trade, trade.id)
    trade_b.quota_per_delegation = 50
    db.session.commit()
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华建国文博浩宇子涵欣"
    rows = [("郑州市", "T01", "张" + given[i], "", number) for i, number in enumerate(valid_ids(30))]
    fault()
    response = upload(f"/manage/events/{event.code}/contestants/import", contestants_file(rows))
    assert response.status_code == 500
    assert contestants() == 0
    response = upload(f"/manage/events/{event.code}/contestants/import", contestants_file(rows))
    assert response.status_code == 302
    assert contestants() == 30


def test_a_save_failing_half_way_writes_nothing(client, event_setup, monkeypatch):
    """A failure between the entrant and the contestant of one registration leaves neither."""
    event, delegation, trade = event_setup
    from competition.services.registration import people

    real = people.next_numbers

    def broken(*args, **kwargs):
        db.session.flush()  # the entrant is already written in this transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr(people, "next_numbers", broken)
    response = register(client, event, delegation, trade, "张伟", "11010519491231002X")
    assert response.status_code == 500
    monkeypatch.setattr(people, "next_numbers", real)
    assert contestants() == 0
    assert db.session.scalar(sa.select(sa.func.count(Entrant.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Delegation.id))) == 1


def test_database_gone_during_a_sheet_save_writes_no_mark_and_no_audit_row(client, scene, login,
                                                                          fault):
    """A judge's save either lands whole (marks and their audit rows) or not at all."""
    from competition.models import AuditEntry, Score
    from competition.services import judging
    client = login(scene.judges[2])
    url = f"/judge/trades/{scene.trade.id}/sheet"
    cells = {}
    for entrant in scene.entrants:
        key = judging.entrant_key(scene.trade.id, entrant.id)
        cells[f"m-{key}-{scene.measurement.id}"] = "7.5"
        cells[f"v-{key}-{scene.measurement.id}"] = ""
        cells[f"o-{key}-{scene.measurement.id}"] = ""
    fault()
    assert client.post(url, data=cells).status_code == 500
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Score.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0
    assert client.post(url, data=cells).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Score.id))) == 3
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id))) == 3
