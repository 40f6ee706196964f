"""Every organizer page checks the role and the event on the server.

The cases come from the app's URL map: a new set-up route without a line in ``CASES`` fails
``test_every_setup_route_has_a_case``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Delegation, Event, Role, User
from tests.app.support import PASSWORD, fresh_client, route_url

READ = "read"          # supervisors, organizers and administrators may look
ORGANIZE = "organize"  # organizers of the event and administrators only
ADMIN = "admin"        # administrators only

CASES = {
    ("/manage/events", "GET"): READ,
    ("/manage/events/new", "GET"): ADMIN,
    ("/manage/events/new", "POST"): ADMIN,
    ("/manage/events/<event_code>/organizers", "GET"): ADMIN,
    ("/manage/events/<event_code>/organizers", "POST"): ADMIN,
    ("/manage/events/<event_code>/edit", "GET"): ORGANIZE,
    ("/manage/events/<event_code>/edit", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/", "GET"): READ,
    ("/manage/events/<event_code>/delegations", "GET"): READ,
    ("/manage/events/<event_code>/delegations", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/delegations/<int:delegation_id>/edit", "GET"): ORGANIZE,
    ("/manage/events/<event_code>/delegations/<int:delegation_id>/edit", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/delegations/<int:delegation_id>/delete", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/trades", "GET"): READ,
    ("/manage/events/<event_code>/trades/new", "GET"): ORGANIZE,
    ("/manage/events/<event_code>/trades/new", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/edit", "GET"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/edit", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/delete", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/", "GET"): READ,
    ("/manage/events/<event_code>/trades/<trade_code>/criteria", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/criteria/<int:criterion_id>", "GET"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/criteria/<int:criterion_id>", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/criteria/<int:criterion_id>/delete", "POST"):
        ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/aspects", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/aspects/<int:aspect_id>", "GET"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/aspects/<int:aspect_id>", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/aspects/<int:aspect_id>/delete", "POST"):
        ORGANIZE,
    ("/manage/events/<event_code>/award-rule", "GET"): ORGANIZE,
    ("/manage/events/<event_code>/award-rule", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/award-rule", "GET"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/award-rule", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/award-rule/delete", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/judges", "GET"): READ,
    ("/manage/events/<event_code>/judges/new", "GET"): ORGANIZE,
    ("/manage/events/<event_code>/judges/new", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/judges/<int:user_id>/edit", "GET"): ORGANIZE,
    ("/manage/events/<event_code>/judges/<int:user_id>/edit", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/judges/<int:user_id>/password", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/judges/<int:user_id>/enabled", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/accounts", "GET"): READ,
    ("/manage/events/<event_code>/trades/<trade_code>/panel", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/trades/<trade_code>/panel/<int:user_id>/remove", "POST"):
        ORGANIZE,
    ("/manage/events/<event_code>/import/<kind>", "GET"): ORGANIZE,
    ("/manage/events/<event_code>/import/<kind>", "POST"): ORGANIZE,
    ("/manage/events/<event_code>/import/<kind>/template.xlsx", "GET"): ORGANIZE,
}

ROLES = ["anonymous", "judge", "chief_judge", "supervisor", "other_organizer", "organizer",
         "administrator"]


def setup_routes(app) -> set[tuple[str, str]]:
    return {(rule.rule, method) for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("setup.")
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def test_every_setup_route_has_a_case(app):
    assert setup_routes(app) == set(CASES)


@dataclass
class World:
    event_code: str
    values: dict
    users: dict


@pytest.fixture
def world(make_event, make_delegation, make_trade, make_user) -> World:
    event, other = make_event("HN2026"), make_event("OTHER")
    delegation = make_delegation(event, code="ZZ")
    spare = make_delegation(event, code="KF")
    trade = make_trade(event, code="W01")
    judge = make_user(Role.JUDGE, event, trades=[trade], delegation=delegation)
    users = {
        "judge": judge,
        "chief_judge": make_user(Role.CHIEF_JUDGE, event, trades=[trade], chief=True),
        "supervisor": make_user(Role.SUPERVISOR, event),
        "other_organizer": make_user(Role.ORGANIZER, other),
        "organizer": make_user(Role.ORGANIZER, event),
        "administrator": make_user(Role.ADMINISTRATOR),
    }
    criterion = trade.criteria[0]
    values = {"event_code": event.code, "delegation_id": spare.id, "trade_code": trade.code,
              "criterion_id": criterion.id, "aspect_id": criterion.aspects[0].id,
              "user_id": judge.id, "kind": "trades"}
    return World(event.code, values, users)


def allowed(access: str, role: str, method: str) -> bool:
    if role == "administrator":
        return True
    if role == "organizer":
        return access in (READ, ORGANIZE)
    if role == "supervisor":
        return access == READ and method == "GET"
    return False


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("rule, method", sorted(CASES), ids=[f"{m} {r}" for r, m in sorted(CASES)])
def test_access(app, world, rule, method, role):
    client = fresh_client(app)
    if role != "anonymous":
        user = world.users[role]
        response = client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
        assert response.status_code == 302
    target = route_url(rule, world.values)
    response = client.get(target) if method == "GET" else client.post(target, data={})
    location = response.headers.get("Location", "")
    if role == "anonymous":
        assert response.status_code == 302 and location.startswith("/auth/login"), \
            (response.status_code, location)
    elif rule == "/manage/events" and role == "other_organizer":
        # the event list is not of one event: an organizer sees only their own
        assert location.endswith("/manage/events/OTHER/")
    elif not allowed(CASES[rule, method], role, method):
        assert response.status_code == 403
    elif method == "GET":
        if rule == "/manage/events" and role != "administrator":
            assert location.endswith(f"/manage/events/{world.event_code}/")
        else:
            assert response.status_code == 200
    else:
        assert response.status_code in (200, 302, 422), response.status_code
        assert not location.startswith("/auth/login")


def test_supervisor_pages_offer_no_changes(app, world):
    """The read-only pages a supervisor sees have no forms or buttons that would change things."""
    client = fresh_client(app)
    user = world.users["supervisor"]
    client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
    for rule, method in CASES:
        if CASES[rule, method] == READ and method == "GET" and rule != "/manage/events":
            html = client.get(route_url(rule, world.values)).get_data(as_text=True)
            forms = html.count('method="post"')
            assert forms == 2, (rule, forms)  # the language switch and log out only


@pytest.mark.parametrize("what", ["delegation", "judge", "trade", "panel"])
def test_objects_of_another_event_are_not_found(app, world, make_delegation, make_trade, make_user,
                                                what):
    """An organizer cannot reach another event's objects through their own event's URLs."""
    other = db.session.scalar(sa.select(Event).where(Event.code == "OTHER"))
    foreign_delegation = make_delegation(other)
    foreign_trade = make_trade(other, code="X01")
    foreign_judge = make_user(Role.JUDGE, other)
    client = fresh_client(app)
    user = world.users["organizer"]
    client.post("/auth/login", data={"username": user.username, "password": PASSWORD})
    base = "/manage/events/HN2026"
    request, status = {
        "delegation": (lambda: client.post(f"{base}/delegations/{foreign_delegation.id}/delete"), 404),
        "judge": (lambda: client.get(f"{base}/judges/{foreign_judge.id}/edit"), 404),
        "trade": (lambda: client.get(f"{base}/trades/{foreign_trade.code}/"), 404),
        # not among the judges offered: refused as "Choose a judge."
        "panel": (lambda: client.post(f"{base}/trades/W01/panel",
                                      data={"user_id": foreign_judge.id}), 302),
    }[what]
    assert request().status_code == status
    db.session.expire_all()
    assert db.session.get(Delegation, foreign_delegation.id) is not None
    assert db.session.get(User, foreign_judge.id).assignments == []
