"""Deputy chief judges (副裁判长) and chief judges by role: who resolves an entrant the chief
judge is recused from (a deputy who is not, else the organizer), said on the page beforehand and
refused on the server to anyone else, one message per case; a chief judge made by the judge form
or the import leads the panels named; migration 14a keeps every chief a chief.

The scene: judges 0 (delegation 0), 1 (delegation 1), 2 (none); the chief of delegation 2, so
recused from entrant 2."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from competition.domain import panel as rules
from competition.domain.aggregation import AspectKind
from competition.extensions import db
from competition.models import AuditEntry, JudgeAssignment, Position, Role, User
from competition.services import judging
from competition.services.errors import NotAllowed
from tests.app.support import JUDGE_HEADERS, cell, client_for, flashes, post_file, stored, workbook
from tests.app.test_jobs_migration import _blank, flask_db, migrated  # noqa: F401 (fixture)


@pytest.fixture
def event(make_event):
    return make_event("HN2026")


def key(entrant) -> str:
    return judging.entrant_key(entrant.trade_id, entrant.id)


@pytest.fixture
def deputy(scene, make_user):
    return make_user(Role.CHIEF_JUDGE, scene.event, name="副裁判长甲", trades=(scene.trade,),
                     position=Position.DEPUTY, delegation=scene.delegations[0])


def mark_to_resolve(scene):
    """Judge 2 gives entrant 2 a 0 on the judgement aspect; POST data changing it to 2."""
    judge, entrant = scene.judges[2], scene.entrants[2]
    assert judging.save_sheet(judge, scene.trade, [cell(entrant, scene.judgement, "0")]).ok
    field = f"{judge.id}-{scene.judgement.id}"
    url = f"/judge/trades/{scene.trade.id}/entrants/{key(entrant)}"
    return url, {f"m-{field}": "2", f"v-{field}": "1", f"o-{field}": "0", "reason": "scale misread"}


def page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_the_deputy_resolves_the_chiefs_own_delegation_entrant(app, scene, deputy):
    url, data = mark_to_resolve(scene)
    client = client_for(app, deputy)
    assert "You resolve this entrant's marks." in page(client.get(url))
    assert client.post(url, data=data).status_code == 302
    assert stored(scene.judges[2], scene.entrants[2], scene.judgement).value == 2
    last = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.user_id, last.reason) == (deputy.id, "scale misread")


def test_the_chief_is_told_beforehand_and_refused_at_the_top(app, scene, deputy):
    url, data = mark_to_resolve(scene)
    client = client_for(app, scene.chief)
    shown = page(client.get(url))
    assert ("The chief judge is recused: deputy chief judge 副裁判长甲 resolves this entrant's "
            "marks.") in shown
    assert 'name="m-' not in shown  # no fields to type into
    response = client.post(url, data=data, follow_redirects=True)
    assert flashes(response) == [
        "You are recused from this entrant: a deputy chief judge resolves their marks."]
    assert 'class="error"' not in page(response)  # nothing under the judges' cells
    assert stored(scene.judges[2], scene.entrants[2], scene.judgement).value == 0


def test_a_deputy_is_refused_an_entrant_the_chief_resolves(app, scene, deputy):
    judge, entrant = scene.judges[2], scene.entrants[1]
    judging.save_sheet(judge, scene.trade, [cell(entrant, scene.judgement, "0")])
    client = client_for(app, deputy)
    url = f"/judge/trades/{scene.trade.id}/entrants/{key(entrant)}"
    assert f"The chief judge ({scene.chief.name}) resolves this entrant's marks." in page(
        client.get(url))
    field = f"{judge.id}-{scene.judgement.id}"
    response = client.post(url, data={f"m-{field}": "2", f"v-{field}": "1", f"o-{field}": "0",
                                      "reason": "x"}, follow_redirects=True)
    assert flashes(response) == [
        "The chief judge resolves this entrant's marks; a deputy chief judge does only when the "
        "chief judge is recused."]


def test_a_judge_is_refused(app, scene, deputy):
    url, data = mark_to_resolve(scene)
    assert client_for(app, scene.judges[0]).post(url, data=data).status_code == 403
    with pytest.raises(NotAllowed) as refused:
        judging.resolve_marks(scene.judges[0], scene.trade, scene.entrants[2].id,
                              [judging.CellInput(scene.entrants[2].id, scene.judgement.id, "2", 1,
                                                 judge_id=scene.judges[2].id)], "x")
    assert refused.value.problem.message == rules.NOT_RESOLVER
    assert stored(scene.judges[2], scene.entrants[2], scene.judgement).value == 0


def test_the_organizer_resolves_when_no_deputy_can(app, scene, make_user):
    # The only deputy is of the chief's delegation: recused too.
    make_user(Role.CHIEF_JUDGE, scene.event, trades=(scene.trade,), position=Position.DEPUTY,
              delegation=scene.delegations[2])
    url, data = mark_to_resolve(scene)
    chief = client_for(app, scene.chief)
    assert ("The chief judge and every deputy chief judge are recused: the organizer resolves "
            "this entrant's marks.") in page(chief.get(url))
    assert flashes(chief.post(url, data=data, follow_redirects=True)) == [
        "You are recused from this entrant, and so is every deputy chief judge: the organizer "
        "resolves their marks."]
    organizer = client_for(app, scene.organizer)
    assert "You resolve this entrant's marks, as the organizer" in page(organizer.get(url))
    assert organizer.post(url, data=data).status_code == 302
    assert stored(scene.judges[2], scene.entrants[2], scene.judgement).value == 2
    last = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (last.user_id, last.reason) == (
        scene.organizer.id,
        "organizer resolving: the chief and deputy chief judges are recused: scale misread")
    # An entrant the chief may resolve is not the organizer's.
    other = f"/judge/trades/{scene.trade.id}/entrants/{key(scene.entrants[1])}"
    assert flashes(organizer.post(other, data=data, follow_redirects=True))[-1] == (
        "The organizer resolves an entrant's marks only when the chief judge and every deputy "
        "chief judge are recused from them.")


def positions(trade) -> dict[str, Position]:
    return {r.username: r.position for r in db.session.execute(
        sa.select(User.username, JudgeAssignment.position).join(JudgeAssignment)
        .where(JudgeAssignment.trade_id == trade.id))}


def assert_leads_without_marking(trade, username: str) -> None:
    panel = judging.load_panel(trade)
    user = db.session.scalar(sa.select(User).where(User.username == username))
    assert user.id in panel.judges and user.id not in panel.scorers
    assert panel.expected_of(user.id, {1: AspectKind.JUDGEMENT}) == 0


def test_a_chief_judge_by_the_judge_form_leads_the_panels_named(organizer, event, make_trade,
                                                                make_user):
    trade = make_trade(event, code="W01")
    make_user(Role.JUDGE, event, username="plain", trades=(trade,))
    base = f"/manage/events/{event.code}/judges/new"
    for username, position in (("chief1", None), ("deputy1", "deputy")):
        data = {"name": "李娜", "username": username, "role": "chief_judge", "delegation_id": "0",
                "trade_ids": [str(trade.id)], **({"position": position} if position else {})}
        assert organizer.post(base, data=data).status_code == 200
    db.session.expire_all()
    assert positions(trade) == {"plain": "judge", "chief1": "chief", "deputy1": "deputy"}
    assert_leads_without_marking(trade, "chief1")
    assert_leads_without_marking(trade, "deputy1")


def test_a_chief_judge_by_the_import_leads_the_panels_named(organizer, event, make_trade,
                                                            make_user):
    trade = make_trade(event, code="W01")
    make_user(Role.JUDGE, event, username="plain", trades=(trade,))
    data = workbook(("裁判", [JUDGE_HEADERS, ["李娜", "lina", "", "W01", "裁判长"],
                              ["王强", "wangqiang", "", "W01", "副裁判长"]]))
    assert post_file(organizer, f"/manage/events/{event.code}/import/judges", data).status_code == 200
    db.session.expire_all()
    assert positions(trade) == {"plain": "judge", "lina": "chief", "wangqiang": "deputy"}
    assert db.session.scalar(sa.select(User.role).where(User.username == "wangqiang")) == \
        Role.CHIEF_JUDGE
    assert_leads_without_marking(trade, "lina")
    assert_leads_without_marking(trade, "wangqiang")


def insert(connection, table: str, **values) -> None:
    """A row with ``values`` and a blank in every other required column."""
    for name, column in {c["name"]: c for c in sa.inspect(connection).get_columns(table)}.items():
        if name not in values and not column["nullable"] and column.get("default") is None:
            values[name] = _blank(column["type"])
    connection.execute(sa.text(f'INSERT INTO "{table}" ({", ".join(values)}) VALUES '
                               f'({", ".join(":" + k for k in values)})'), values)


def test_the_migration_keeps_every_chief_a_chief(migrated):  # noqa: F811
    flask_db(migrated, "upgrade", "13d_jobs")
    with migrated.app_context():
        with db.engine.begin() as connection:
            insert(connection, "event", id=1, code="HN", name_zh="大赛")
            insert(connection, "trade", id=1, event_id=1, code="W01", name_zh="焊接",
                   entry_type="individual", team_size=1, status="setup")
            for user_id, role in ((1, "chief_judge"), (2, "judge")):
                insert(connection, "user", id=user_id, username=f"u{user_id}", name="甲",
                       role=role, event_id=1, is_enabled=True)
            insert(connection, "judge_assignment", id=1, user_id=1, trade_id=1, is_chief=True)
            insert(connection, "judge_assignment", id=2, user_id=2, trade_id=1, is_chief=False)
    flask_db(migrated, "upgrade", "14a_deputies")
    with migrated.app_context():
        rows = db.session.execute(sa.select(JudgeAssignment.id, JudgeAssignment.position)
                                  .order_by(JudgeAssignment.id)).all()
        assert [tuple(r) for r in rows] == [(1, Position.CHIEF), (2, Position.JUDGE)]
        db.session.get(JudgeAssignment, 2).position = Position.DEPUTY
        db.session.commit()
        db.session.remove()
    flask_db(migrated, "downgrade", "13d_jobs")
    with migrated.app_context(), db.engine.connect() as connection:
        rows = connection.execute(sa.text(
            "SELECT id, is_chief FROM judge_assignment ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [(1, True), (2, False)]  # a deputy is a judge again
