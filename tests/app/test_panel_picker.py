"""The panel picker on the trade page: a server-side search of the event's judges (by name,
username or delegation, paged), ticked accounts added to the panel in one POST."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import JudgeAssignment, Role, User
from competition.services import judges
from tests.app.support import flashes

BASE = "/manage/events/HN2026"
TRADE = f"{BASE}/trades/W01/"
PANEL = f"{BASE}/trades/W01/panel"
pytestmark = pytest.mark.language("en")


@pytest.fixture
def event(make_event):
    return make_event("HN2026")


@pytest.fixture
def trade(event, make_trade):
    return make_trade(event, code="W01")


@pytest.fixture
def many(event, make_delegation):
    """60 judges 裁判01..裁判60 of delegation 湖南 (HN), and three of 广东 (GD): 张三丰, 张三, 李四."""
    hunan = make_delegation(event, code="HN", name_zh="湖南")
    guangdong = make_delegation(event, code="GD", name_zh="广东")
    for n in range(1, 61):
        db.session.add(User(username=f"judge{n:02d}", name=f"裁判{n:02d}", role=Role.JUDGE,
                            event=event, delegation=hunan, password_hash="x"))
    for username, name in (("zsf", "张三丰"), ("zs", "张三"), ("ls", "李四")):
        db.session.add(User(username=username, name=name, role=Role.JUDGE, event=event,
                            delegation=guangdong, password_hash="x"))
    db.session.commit()


def picked(response) -> list[str]:
    """The usernames offered as checkboxes, in page order."""
    page = response.get_data(as_text=True)
    ids = re.findall(r'name="user_id" value="(\d+)"', page)
    return [db.session.get(User, int(i)).username for i in ids]


def panel() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(sa.select(User.username).join(JudgeAssignment)))


def user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_the_search_finds_a_judge_by_part_of_the_name(organizer, trade, many):
    response = organizer.get(TRADE, query_string={"q": "三丰"})
    assert response.status_code == 200
    assert picked(response) == ["zsf"]
    assert sorted(picked(organizer.get(TRADE, query_string={"q": "张三"}))) == ["zs", "zsf"]
    assert picked(organizer.get(TRADE, query_string={"q": "judge07"})) == ["judge07"]


def test_the_search_finds_by_delegation_and_pages(organizer, trade, many):
    assert sorted(picked(organizer.get(TRADE, query_string={"q": "广东"}))) == ["ls", "zs", "zsf"]
    first = picked(organizer.get(TRADE, query_string={"q": "HN"}))
    assert first == [f"judge{n:02d}" for n in range(1, 21)]  # 20 a page, by name
    third = picked(organizer.get(TRADE, query_string={"q": "HN", "page": 3}))
    assert third == [f"judge{n:02d}" for n in range(41, 61)]
    assert len(picked(organizer.get(TRADE))) == 20  # no query: everybody, paged


def test_three_judges_are_added_in_one_post_and_leave_the_picker(organizer, trade, many):
    ids = [user(u).id for u in ("zsf", "zs", "ls")]
    response = organizer.post(PANEL, data={"user_id": ids}, follow_redirects=True)
    assert "3 added to the panel, 0 already on it." in flashes(response)
    assert panel() == {"zsf", "zs", "ls"}
    assert picked(organizer.get(TRADE, query_string={"q": "广东"})) == []


def test_adding_again_skips_those_on_the_panel(organizer, trade, many):
    organizer.post(PANEL, data={"user_id": [user("zs").id]})
    response = organizer.post(PANEL, data={"user_id": [user("zs").id, user("ls").id]},
                              follow_redirects=True)
    assert "1 added to the panel, 1 already on it." in flashes(response)
    assert panel() == {"zs", "ls"}
    organizer.post(PANEL, data={"user_id": [user("zs").id, user("ls").id]})
    assert db.session.scalar(sa.select(sa.func.count(JudgeAssignment.id))) == 2


def test_a_judge_of_another_event_refuses_the_whole_batch(organizer, trade, many, make_event,
                                                           make_user):
    stranger = make_user(Role.JUDGE, make_event(), name="外人")
    organizer_account = make_user(Role.ORGANIZER, trade.event)
    response = organizer.post(PANEL, data={"user_id": [user("zs").id, stranger.id]},
                              follow_redirects=True)
    assert "Some of the chosen accounts are not judges of this event: nobody was added." \
        in flashes(response)
    organizer.post(PANEL, data={"user_id": [organizer_account.id]})
    assert panel() == set()
    assert picked(organizer.get(TRADE, query_string={"q": "外人"})) == []


def test_leading_the_panel_is_one_account_at_a_time(organizer, trade, event, make_user):
    chief = make_user(Role.CHIEF_JUDGE, event, username="chief")
    other = make_user(Role.CHIEF_JUDGE, event, username="other")
    response = organizer.post(PANEL, data={"user_id": [chief.id, other.id], "position": "chief"},
                              follow_redirects=True)
    assert "Choose one account to lead the panel." in flashes(response)
    organizer.post(PANEL, data={"user_id": [chief.id], "position": "chief"})
    db.session.expire_all()
    assert [(a.user.username, a.is_chief) for a in db.session.scalars(
        sa.select(JudgeAssignment))] == [("chief", True)]


def test_the_service_adds_in_one_transaction(trade, many):
    added = judges.assign_many(trade, [user("zs").id, user("ls").id, user("zs").id])
    assert added == (2, 0)
    assert panel() == {"zs", "ls"}
