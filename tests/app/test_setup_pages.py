"""The organizer's set-up pages: every form checks its input on the server, shows the problem next
to the field and saves nothing; good input is saved; lists filter and page at the seed's size."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import (
    Aspect,
    AwardRule,
    Criterion,
    Delegation,
    EntryType,
    Event,
    JudgeAssignment,
    Role,
    Trade,
    TradeStatus,
    User,
)
from competition.services import setup
from competition.services.accounts import hash_password
from tests.app.support import PASSWORD, count, count_queries, field_error, flashes, fresh_client, page_text

BASE = "/manage/events/HN2026"
pytestmark = pytest.mark.language("en")


@pytest.fixture
def event(make_event):
    return make_event("HN2026", start_date=date(2026, 11, 20), end_date=date(2026, 11, 23))


def html(response) -> str:
    return response.get_data(as_text=True)


def is_redirect_to(response, path: str) -> bool:
    return response.status_code == 302 and response.headers["Location"] == path


# --- events ------------------------------------------------------------------------------------

EVENT = {"code": "SD2026", "name_zh": "山东省职业技能大赛", "name_en": "", "organizer_name": "",
         "venue": "", "start_date": "2026-05-01", "end_date": "2026-05-03", "medal_order": "gold",
         "scaling": "raw"}


@pytest.fixture
def admin(client, make_user, login):
    login(make_user(Role.ADMINISTRATOR))
    return client


@pytest.mark.parametrize("change, field, message", [
    ({"code": ""}, "code", "This field is required."),
    ({"code": "SD 2026!"}, "code", "Use letters, digits, '-', '_' or '.' only."),
    ({"name_zh": "  "}, "name_zh", "This field is required."),
    ({"end_date": "2026-04-30"}, "end_date", "The last day cannot be before the first day."),
    ({"code": "hn2026"}, "code", "Another event already uses this code."),
], ids=["missing-code", "bad-code", "missing-name", "end-before-start", "duplicate-code"])
def test_new_event_refused(admin, event, change, field, message):
    response = admin.post("/manage/events/new", data={**EVENT, **change})
    assert field_error(response, field) == [message]
    assert count(Event) == 1


def test_new_event_created_with_default_award_rule(admin):
    response = admin.post("/manage/events/new", data=EVENT)
    assert is_redirect_to(response, "/manage/events/SD2026/")
    created = db.session.scalar(sa.select(Event).where(Event.code == "SD2026"))
    assert (created.name_zh, created.start_date) == ("山东省职业技能大赛", date(2026, 5, 1))
    assert count(AwardRule, AwardRule.event_id == created.id, AwardRule.trade_id.is_(None)) == 1


def test_organizer_edits_the_event(organizer, event):
    response = organizer.post(f"{BASE}/edit", data={**EVENT, "code": "HN2026", "venue": "郑州"})
    assert is_redirect_to(response, f"{BASE}/")
    db.session.refresh(event)
    assert (event.name_zh, event.venue) == ("山东省职业技能大赛", "郑州")


def test_event_code_change_refused_when_taken(organizer, event, make_event):
    make_event("OTHER")
    response = organizer.post(f"{BASE}/edit", data={**EVENT, "code": "other"})
    assert field_error(response, "code") == ["Another event already uses this code."]
    db.session.refresh(event)
    assert event.code == "HN2026"


# --- delegations -------------------------------------------------------------------------------

def test_delegation_added_with_full_width_code_normalised(organizer, event):
    response = organizer.post(f"{BASE}/delegations", data={"code": "ｚｚ", "name_zh": " 郑州市 "})
    assert is_redirect_to(response, f"{BASE}/delegations")
    assert [(d.code, d.name_zh) for d in db.session.scalars(sa.select(Delegation))] == [("ZZ", "郑州市")]


@pytest.mark.parametrize("data, field, message", [
    ({"code": "zz", "name_zh": "开封市"}, "code", "This code is already used in this event."),
    ({"code": "KF", "name_zh": "郑州市"}, "name_zh", "This name is already used in this event."),
    ({"code": "K F", "name_zh": "开封市"}, "code", "Use letters, digits, '-', '_' or '.' only."),
    ({"code": "", "name_zh": "开封市"}, "code", "This field is required."),
], ids=["duplicate-code", "duplicate-name", "bad-code", "missing-code"])
def test_delegation_refused(organizer, event, make_delegation, data, field, message):
    make_delegation(event, code="ZZ", name_zh="郑州市")
    response = organizer.post(f"{BASE}/delegations", data=data)
    assert response.status_code == 422
    assert field_error(response, field) == [message]
    assert count(Delegation) == 1


def test_delegation_edited_and_deleted(organizer, event, make_delegation):
    delegation = make_delegation(event, code="ZZ", name_zh="郑州市")
    other = make_delegation(event, code="KF", name_zh="开封市")
    url = f"{BASE}/delegations/{delegation.id}/edit"
    response = organizer.post(url, data={"code": "KF", "name_zh": "郑州"})
    assert field_error(response, "code") == ["This code is already used in this event."]
    response = organizer.post(url, data={"code": "ZZ", "name_zh": "郑州", "name_en": "Zhengzhou"})
    assert is_redirect_to(response, f"{BASE}/delegations")
    db.session.refresh(delegation)
    assert (delegation.name_zh, delegation.name_en) == ("郑州", "Zhengzhou")
    response = organizer.post(f"{BASE}/delegations/{other.id}/delete", follow_redirects=True)
    assert "Deleted." in flashes(response)
    assert count(Delegation) == 1


def test_delegation_with_judges_cannot_be_deleted(organizer, event, make_delegation, make_user):
    delegation = make_delegation(event)
    make_user(Role.JUDGE, event, delegation=delegation)
    response = organizer.post(f"{BASE}/delegations/{delegation.id}/delete", follow_redirects=True)
    assert "This delegation still has judges or contestants." in flashes(response)
    assert count(Delegation) == 1


# --- trades ------------------------------------------------------------------------------------

TRADE = {"code": "W01", "name_zh": "焊接", "name_en": "Welding", "category": "制造类",
         "entry_type": "individual", "team_size": "1", "quota_per_delegation": "2",
         "judgement_threshold": "1"}


@pytest.mark.parametrize("change, field, message", [
    ({"entry_type": "individual", "team_size": "3"}, "team_size",
     "An individual trade has a team size of 1."),
    ({"entry_type": "pair", "team_size": "3"}, "team_size", "A pair trade has a team size of 2."),
    ({"entry_type": "team", "team_size": "1"}, "team_size", "A team has at least 2 members."),
    ({"code": "w01"}, "code", "This code is already used in this event."),
    ({"name_zh": "焊接"}, "name_zh", "This name is already used in this event."),
    ({"quota_per_delegation": "0"}, "quota_per_delegation", "Number must be between 1 and 100."),
    ({"entry_type": "quartet"}, "entry_type", "Not a valid choice."),
], ids=["individual-3", "pair-3", "team-1", "duplicate-code", "duplicate-name", "quota-0",
        "unknown-entry-type"])
def test_new_trade_refused(organizer, event, make_trade, change, field, message):
    make_trade(event, code="W01", name_zh="焊接")
    data = {**TRADE, "code": "W02", "name_zh": "电工", **change}
    response = organizer.post(f"{BASE}/trades/new", data=data)
    assert response.status_code == 422
    assert field_error(response, field) == [message]
    assert count(Trade) == 1


@pytest.mark.parametrize("entry_type, team_size", [("individual", 1), ("pair", 2), ("team", 4)])
def test_new_trade_saved(organizer, event, entry_type, team_size):
    data = {**TRADE, "entry_type": entry_type, "team_size": str(team_size), "is_demonstration": "y"}
    response = organizer.post(f"{BASE}/trades/new", data=data)
    assert is_redirect_to(response, f"{BASE}/trades/W01/")
    trade = db.session.scalar(sa.select(Trade))
    assert (trade.entry_type, trade.team_size, trade.is_demonstration, trade.quota_per_delegation) \
        == (entry_type, team_size, True, 2)
    assert trade.status == TradeStatus.SETUP


def test_trade_edited_and_deleted(organizer, event, make_trade):
    make_trade(event, code="W01", name_zh="焊接")
    make_trade(event, code="E01", name_zh="电工")
    response = organizer.post(f"{BASE}/trades/W01/edit", data={**TRADE, "code": "E01"})
    assert field_error(response, "code") == ["This code is already used in this event."]
    response = organizer.post(f"{BASE}/trades/W01/edit",
                              data={**TRADE, "entry_type": "pair", "team_size": "2"})
    assert is_redirect_to(response, f"{BASE}/trades/W01/")
    assert db.session.scalar(sa.select(Trade.entry_type).where(Trade.code == "W01")) == "pair"
    response = organizer.post(f"{BASE}/trades/W01/delete")
    assert is_redirect_to(response, f"{BASE}/trades")
    assert count(Trade) == 1 and count(Criterion) == 1 and count(Aspect) == 2


def test_open_trade_cannot_be_deleted(organizer, event, make_trade):
    make_trade(event, code="W01", status=TradeStatus.OPEN)
    response = organizer.post(f"{BASE}/trades/W01/delete", follow_redirects=True)
    assert "Only a trade still being set up, with nobody registered, can be deleted." in flashes(response)
    assert count(Trade) == 1


def test_trade_page_shows_running_total(organizer, event, make_trade):
    make_trade(event, code="W01", aspects=((Decimal(30), "measurement"), (Decimal(45), "panel"),
                                           (Decimal(25), "judgement")))
    page = html(organizer.get(f"{BASE}/trades/W01/"))
    cells = [Decimal(c) for c in re.findall(r'<td class="num">([\d.]+)</td>', page)]
    # per aspect: its max, then the running total
    assert cells == [30, 30, 45, 75, 25, 100]
    assert re.search(r"Maximum total: 100(\.0+)?\b", page)


# --- marking schemes ---------------------------------------------------------------------------

CRITERION = {"c-code": "B", "c-name_zh": "实际操作", "c-weight": ""}
ASPECT = {"a-code": "B1", "a-description_zh": "焊缝外观", "a-kind": "measurement",
          "a-max_mark": "20", "a-aggregation": "mean", "a-trimmed_count": "1", "a-decimals": "2"}


@pytest.fixture
def trade(event, make_trade):
    """W01 with criterion A (aspects A1 60, A2 40)."""
    return make_trade(event, code="W01")


@pytest.mark.parametrize("change, field, message", [
    ({"c-code": "a"}, "c-code", "This code is already used in this trade."),
    ({"c-weight": "0"}, "c-weight", "Number must be between 0.01 and 100."),
    ({"c-weight": "101"}, "c-weight", "Number must be between 0.01 and 100."),
    ({"c-name_zh": ""}, "c-name_zh", "This field is required."),
], ids=["duplicate-code", "weight-0", "weight-101", "missing-name"])
def test_criterion_refused(organizer, trade, change, field, message):
    response = organizer.post(f"{BASE}/trades/W01/criteria", data={**CRITERION, **change})
    assert response.status_code == 422
    assert field_error(response, field) == [message]
    assert count(Criterion) == 1


def test_criterion_added_edited_deleted(organizer, trade):
    response = organizer.post(f"{BASE}/trades/W01/criteria", data={**CRITERION, "c-weight": "70"})
    assert is_redirect_to(response, f"{BASE}/trades/W01/")
    added = db.session.scalar(sa.select(Criterion).where(Criterion.code == "B"))
    assert (added.weight, added.position) == (Decimal(70), 1)
    response = organizer.post(f"{BASE}/trades/W01/criteria/{added.id}",
                              data={**CRITERION, "c-name_zh": "实操", "c-weight": ""})
    assert response.status_code == 302
    db.session.refresh(added)
    assert (added.name_zh, added.weight) == ("实操", None)
    organizer.post(f"{BASE}/trades/W01/criteria/{trade.criteria[0].id}/delete")
    assert count(Criterion) == 1 and count(Aspect) == 0


@pytest.mark.parametrize("change, field, message", [
    ({"a-max_mark": "0"}, "a-max_mark", "Number must be between 0.01 and 1000."),
    ({"a-max_mark": "-3"}, "a-max_mark", "Number must be between 0.01 and 1000."),
    ({"a-max_mark": "many"}, "a-max_mark", "Not a valid decimal value."),
    ({"a-code": "a1"}, "a-code", "This code is already used in this trade."),
    ({"a-trimmed_count": "6"}, "a-trimmed_count", "Number must be between 0 and 5."),
], ids=["max-0", "max-negative", "max-text", "code-of-another-criterion", "trimmed-6"])
def test_aspect_refused(organizer, trade, change, field, message):
    organizer.post(f"{BASE}/trades/W01/criteria", data=CRITERION)
    criterion = db.session.scalar(sa.select(Criterion).where(Criterion.code == "B"))
    response = organizer.post(f"{BASE}/trades/W01/aspects",
                              data={**ASPECT, "a-criterion_id": str(criterion.id), **change})
    assert response.status_code == 422
    assert field_error(response, field)[0] == message
    assert count(Aspect) == 2


def test_aspect_of_another_trade_criterion_refused(organizer, event, trade, make_trade):
    other = make_trade(event, code="E01")
    response = organizer.post(f"{BASE}/trades/W01/aspects",
                              data={**ASPECT, "a-criterion_id": str(other.criteria[0].id)})
    assert response.status_code == 422
    assert count(Aspect) == 4


def test_judgement_aspect_stored_without_decimals(organizer, trade):
    response = organizer.post(f"{BASE}/trades/W01/aspects", data={
        **ASPECT, "a-criterion_id": str(trade.criteria[0].id), "a-kind": "judgement",
        "a-decimals": "2"})
    assert response.status_code == 302
    aspect = db.session.scalar(sa.select(Aspect).where(Aspect.code == "B1"))
    assert (aspect.kind, aspect.decimals, aspect.max_mark, aspect.position) == \
        ("judgement", 0, Decimal(20), 2)


def test_aspect_edited_and_deleted(organizer, trade):
    aspect = trade.criteria[0].aspects[0]
    url = f"{BASE}/trades/W01/aspects/{aspect.id}"
    data = {**ASPECT, "a-criterion_id": str(trade.criteria[0].id), "a-code": "A1", "a-max_mark": "55.5"}
    assert organizer.post(url, data=data).status_code == 302
    db.session.refresh(aspect)
    assert (aspect.max_mark, aspect.description_zh) == (Decimal("55.5"), "焊缝外观")
    assert organizer.post(f"{url}/delete").status_code == 302
    assert count(Aspect) == 1


@pytest.mark.parametrize("status", [TradeStatus.OPEN, TradeStatus.SIGNED_OFF])
def test_scheme_fixed_once_scoring_opened(organizer, event, make_trade, status):
    trade = make_trade(event, code="W01", status=status)
    criterion, aspect = trade.criteria[0], trade.criteria[0].aspects[0]
    message = "The marking scheme is fixed once scoring has opened."
    attempts = [
        (f"{BASE}/trades/W01/criteria", CRITERION),
        (f"{BASE}/trades/W01/criteria/{criterion.id}", {**CRITERION, "c-code": "A"}),
        (f"{BASE}/trades/W01/aspects", {**ASPECT, "a-criterion_id": str(criterion.id)}),
        (f"{BASE}/trades/W01/aspects/{aspect.id}",
         {**ASPECT, "a-criterion_id": str(criterion.id), "a-max_mark": "99"}),
    ]
    for url, data in attempts:
        response = organizer.post(url, data=data)
        assert message in flashes(response), url
    for url in (f"{BASE}/trades/W01/aspects/{aspect.id}/delete",
                f"{BASE}/trades/W01/criteria/{criterion.id}/delete"):
        assert message in flashes(organizer.post(url, follow_redirects=True))
    assert count(Criterion) == 1 and count(Aspect) == 2
    db.session.refresh(aspect)
    assert aspect.max_mark == 60
    page = html(organizer.get(f"{BASE}/trades/W01/"))
    assert "Add a criterion" not in page and "Add an aspect" not in page


# --- award rules -------------------------------------------------------------------------------

RULE = {"method": "places", "labels": "medals", "quota_first": "1", "quota_second": "1",
        "quota_third": "1", "ratio_first": "10", "ratio_second": "20", "ratio_third": "30",
        "ratio_rounding": "half_up", "tie_window": "2", "excellence": "none",
        "excellence_threshold": "", "minimum_score": "", "titles-0-name_zh": "",
        "titles-0-up_to_place": "", "titles-1-name_zh": "", "titles-1-up_to_place": ""}


def default_rule(event) -> AwardRule:
    """The event's default rule as the results engine uses it (the built-in default until an
    organizer saves one)."""
    db.session.expire_all()
    return setup.event_rule(event)


@pytest.mark.parametrize("change, field, message", [
    ({"method": "ratios", "ratio_first": "40", "ratio_second": "40", "ratio_third": "30"},
     "ratio_third", "The ratios add up to more than 100%."),
    ({"excellence": "threshold"}, "excellence_threshold", "Give the threshold score."),
    ({"quota_first": "-1"}, "quota_first", "Number must be between 0 and 500."),
], ids=["ratios-over-100", "threshold-missing", "negative-quota"])
def test_award_rule_refused(organizer, event, change, field, message):
    response = organizer.post(f"{BASE}/award-rule", data={**RULE, **change})
    assert response.status_code == 422
    assert field_error(response, field) == [message]
    rule = default_rule(event)
    assert rule is None or rule.method == "places" and rule.excellence == "none"


@pytest.mark.parametrize("titles, message", [
    ({"titles-0-up_to_place": "5"}, "Give each title a Chinese name."),
    ({"titles-0-name_zh": "技术能手"}, "Give the last place that receives each title."),
], ids=["place-without-name", "name-without-place"])
def test_award_rule_titles_refused(organizer, event, titles, message):
    response = organizer.post(f"{BASE}/award-rule", data={**RULE, **titles})
    assert response.status_code == 422
    assert message in re.sub(r"<[^>]+>", "", html(response))
    rule = default_rule(event)
    assert rule is None or rule.titles == []


def test_event_award_rule_saved(organizer, event):
    response = organizer.post(f"{BASE}/award-rule", data={
        **RULE, "method": "ratios", "labels": "prizes", "ratio_first": "10", "ratio_second": "20",
        "ratio_third": "30", "excellence": "top_half", "minimum_score": "60", "small_field": "y",
        "titles-0-name_zh": "技术能手", "titles-0-up_to_place": "5"})
    assert is_redirect_to(response, f"{BASE}/")
    rule = default_rule(event)
    assert (rule.method, rule.labels, rule.ratio_first, rule.excellence, rule.minimum_score) == \
        ("ratios", "prizes", Decimal("0.1"), "top_half", Decimal(60))
    assert rule.small_field and rule.titles == [{"name_zh": "技术能手", "name_en": "", "up_to_place": 5}]
    page = html(organizer.get(f"{BASE}/award-rule"))
    assert 'value="技术能手"' in page and 'value="10' in page
    assert count(AwardRule) == 1


def test_trade_award_rule_override_saved_then_dropped(organizer, event, trade):
    organizer.get(f"{BASE}/award-rule")  # the event's default rule
    response = organizer.post(f"{BASE}/trades/W01/award-rule",
                              data={**RULE, "method": "quotas", "quota_second": "2", "quota_third": "3"})
    assert is_redirect_to(response, f"{BASE}/trades/W01/")
    override = db.session.scalar(sa.select(AwardRule).where(AwardRule.trade_id == trade.id))
    assert (override.method, override.quota_second, override.quota_third) == ("quotas", 2, 3)
    assert "This trade has its own award rule." in html(organizer.get(f"{BASE}/trades/W01/"))
    # saving again edits the same override
    organizer.post(f"{BASE}/trades/W01/award-rule", data={**RULE, "method": "quotas", "quota_third": "5"})
    assert count(AwardRule, AwardRule.trade_id == trade.id) == 1
    response = organizer.post(f"{BASE}/trades/W01/award-rule/delete", follow_redirects=True)
    assert "The trade now follows the event's award rule." in flashes(response)
    assert count(AwardRule, AwardRule.trade_id == trade.id) == 0
    assert default_rule(event).method == "places"
    assert "This trade follows the event's award rule." in html(response)


# --- judges ------------------------------------------------------------------------------------

def judge_data(**change) -> dict:
    return {"name": "张伟", "username": "zhangwei", "role": "judge", "delegation_id": "0",
            **change}


def shown_password(response) -> str:
    codes = re.findall(r"<td><code>(.*?)</code></td>", html(response))
    assert len(codes) == 2, codes  # username, password
    return codes[1]


def can_log_in(app, username: str, password: str) -> bool:
    other = fresh_client(app)
    return other.post("/auth/login", data={"username": username, "password": password}).status_code == 302


def test_judge_created_with_password_shown_once(app, organizer, event, make_delegation, make_trade):
    delegation = make_delegation(event, code="ZZ")
    one, two = make_trade(event, code="W01"), make_trade(event, code="E01")
    response = organizer.post(f"{BASE}/judges/new", data=judge_data(
        delegation_id=str(delegation.id), trade_ids=[str(one.id), str(two.id)]))
    assert response.status_code == 200
    password = shown_password(response)
    assert "download=" in html(response) and "base64," in html(response)
    judge = db.session.scalar(sa.select(User).where(User.username == "zhangwei"))
    assert (judge.role, judge.event_id, judge.delegation_id) == (Role.JUDGE, event.id, delegation.id)
    assert sorted(a.trade.code for a in judge.assignments) == ["E01", "W01"]
    assert password not in html(organizer.get(f"{BASE}/judges"))
    assert password not in html(organizer.get(f"{BASE}/judges/{judge.id}/edit"))
    assert can_log_in(app, "zhangwei", password)


@pytest.mark.parametrize("change, field, message", [
    ({"username": "ZhangWei"}, "username", "This username is taken."),
    ({"username": "ab"}, "username", "Field must be between 3 and 64 characters long."),
    ({"name": ""}, "name", "This field is required."),
    ({"role": "organizer"}, "role", "Not a valid choice."),
], ids=["duplicate-username", "short-username", "missing-name", "organizer-role"])
def test_new_judge_refused(organizer, event, make_event, make_user, change, field, message):
    make_user(Role.JUDGE, make_event("OTHER"), username="zhangwei")  # usernames are global
    response = organizer.post(f"{BASE}/judges/new", data=judge_data(**change))
    assert response.status_code == 422
    assert field_error(response, field) == [message]
    assert count(User, User.event_id == event.id) == 1  # the organizer


def test_judge_trades_edited(organizer, event, make_trade, make_user):
    one, two, three = (make_trade(event, code=c) for c in ("W01", "E01", "C01"))
    judge = make_user(Role.CHIEF_JUDGE, event, username="lina", trades=[one, two], chief=True)
    response = organizer.post(f"{BASE}/judges/{judge.id}/edit", data=judge_data(
        name="李娜", username="lina", role="judge", trade_ids=[str(two.id), str(three.id)]))
    assert is_redirect_to(response, f"{BASE}/judges")
    db.session.expire_all()
    judge = db.session.get(User, judge.id)
    assert judge.role == Role.JUDGE
    assert sorted((a.trade.code, a.is_chief) for a in judge.assignments) == \
        [("C01", False), ("E01", False)]


def test_judge_password_reset(app, organizer, event, make_user):
    judge = make_user(Role.JUDGE, event, username="lina")
    response = organizer.post(f"{BASE}/judges/{judge.id}/password")
    assert response.status_code == 200
    password = shown_password(response)
    assert not can_log_in(app, "lina", PASSWORD)
    assert can_log_in(app, "lina", password)


def test_judge_disabled_then_enabled(app, organizer, event, make_user):
    judge = make_user(Role.JUDGE, event, username="lina")
    judge_client = fresh_client(app)
    judge_client.post("/auth/login", data={"username": "lina", "password": PASSWORD})
    response = organizer.post(f"{BASE}/judges/{judge.id}/enabled", data={"enabled": "0"},
                              follow_redirects=True)
    assert "The account is disabled: the judge cannot log in." in html(response)
    assert not can_log_in(app, "lina", PASSWORD)
    assert judge_client.get("/auth/password").status_code == 302  # the open session ended
    organizer.post(f"{BASE}/judges/{judge.id}/enabled", data={"enabled": "1"})
    assert can_log_in(app, "lina", PASSWORD)


def test_organizer_account_cannot_be_managed_as_a_judge(organizer, event, make_user):
    colleague = make_user(Role.ORGANIZER, event, username="colleague")
    assert organizer.post(f"{BASE}/judges/{colleague.id}/password").status_code == 403
    assert organizer.post(f"{BASE}/judges/{colleague.id}/enabled", data={"enabled": "0"}).status_code == 403
    assert organizer.get(f"{BASE}/judges/{colleague.id}/edit").status_code == 403
    response = organizer.post(f"{BASE}/judges/{colleague.id}/edit",
                              data=judge_data(username="colleague"))
    assert response.status_code == 403
    db.session.refresh(colleague)
    assert colleague.role == Role.ORGANIZER and colleague.is_enabled


def test_panel_assignment(organizer, event, trade, make_user):
    chief = make_user(Role.CHIEF_JUDGE, event, name="王芳")
    judge = make_user(Role.JUDGE, event, name="李强")
    organizer.post(f"{BASE}/trades/W01/panel", data={"user_id": chief.id, "position": "chief"})
    response = organizer.post(f"{BASE}/trades/W01/panel", data={"user_id": judge.id, "position": "deputy"},
                              follow_redirects=True)
    assert "Only an account with the chief judge role can lead a panel." in flashes(response)
    organizer.post(f"{BASE}/trades/W01/panel", data={"user_id": judge.id})
    rows = db.session.execute(sa.select(User.name, JudgeAssignment.position).join(JudgeAssignment)
                              .order_by(User.name)).all()
    assert sorted(rows) == sorted([("王芳", "chief"), ("李强", "judge")])
    organizer.post(f"{BASE}/trades/W01/panel/{judge.id}/remove")
    assert count(JudgeAssignment) == 1


# --- dashboard and lists -----------------------------------------------------------------------

def test_dashboard_counts_and_checklist(organizer, event, make_delegation, make_trade, make_user):
    make_delegation(event)
    make_delegation(event)
    ready = make_trade(event, code="W01")
    make_trade(event, code="E01", aspects=())
    make_trade(event, code="R01", entry_type=EntryType.PAIR, is_demonstration=True)
    make_user(Role.CHIEF_JUDGE, event, trades=[ready], chief=True)
    for _ in range(2):
        make_user(Role.JUDGE, event, trades=[ready])
    page = page_text(organizer.get(f"{BASE}/"))
    assert "2 delegations" in page and "3 trades" in page and "3 judges" in page
    assert "1 demonstration" in page and "1 pair" in page
    checklist = page.split("Before the competition can start", 1)[1]
    assert "Trade E01 has no marking scheme." in checklist
    assert "Trade E01 needs exactly one chief judge." in checklist
    assert "Trade R01 needs exactly one chief judge." in checklist
    assert "W01" not in checklist


def test_dashboard_of_a_ready_event(organizer, event, make_delegation, make_trade, make_user):
    make_delegation(event)
    trade = make_trade(event, code="W01")
    make_user(Role.CHIEF_JUDGE, event, trades=[trade], chief=True)
    for _ in range(2):
        make_user(Role.JUDGE, event, trades=[trade])
    assert "Everything is set up." in html(organizer.get(f"{BASE}/"))


@pytest.fixture
def seventy_trades(event):
    """70 trades: T01-T60 competition (T01-T06 pairs), D61-D70 demonstration; two categories."""
    for n in range(1, 71):
        pair = n <= 6
        db.session.add(Trade(event=event, code=f"{'D' if n > 60 else 'T'}{n:02d}", name_zh=f"赛项{n}",
                             name_en=f"Trade {n}", category="制造类" if n % 2 else "服务类",
                             entry_type=EntryType.PAIR if pair else EntryType.INDIVIDUAL,
                             team_size=2 if pair else 1, is_demonstration=n > 60))
    db.session.commit()


def listed_trades(response) -> list[str]:
    return re.findall(r'/trades/([A-Z0-9]+)/">', html(response))


@pytest.mark.parametrize("query, expected", [
    ({}, 50),
    ({"page": "2"}, 20),
    ({"kind": "pair"}, 6),
    ({"kind": "demonstration"}, 10),
    ({"category": "服务类"}, 35),
    ({"q": "T07"}, 1),
    ({"q": "trade 1"}, 11),  # Trade 1, Trade 10-19
    ({"q": "赛项7"}, 1 + 1),  # 赛项7, 赛项70
    ({"kind": "pair", "category": "制造类"}, 3),
])
def test_trade_list_filters_and_pages(organizer, seventy_trades, query, expected):
    assert len(listed_trades(organizer.get(f"{BASE}/trades", query_string=query))) == expected


def test_trade_list_pages_cover_every_trade(organizer, seventy_trades):
    first = listed_trades(organizer.get(f"{BASE}/trades"))
    second = listed_trades(organizer.get(f"{BASE}/trades", query_string={"page": 2}))
    assert len(set(first + second)) == 70
    assert "Page 1 of 2" in html(organizer.get(f"{BASE}/trades"))


@pytest.fixture
def judges_120(event, make_delegation, make_trade):
    zz, kf = make_delegation(event, code="ZZ"), make_delegation(event, code="KF")
    w01, e01 = make_trade(event, code="W01"), make_trade(event, code="E01")
    password = hash_password(PASSWORD)
    for n in range(120):
        db.session.add(User(username=f"j{n:03d}", name=f"裁判{n:03d}", role=Role.JUDGE, event=event,
                            delegation=zz if n % 3 == 0 else kf, password_hash=password,
                            assignments=[JudgeAssignment(trade=w01 if n % 4 == 0 else e01)]))
    db.session.commit()


def listed_judges(response) -> list[str]:
    return re.findall(r"<td>(j\d{3})</td>", html(response))


@pytest.mark.parametrize("query, expected", [
    ({}, 50), ({"page": "3"}, 20), ({"trade": "W01"}, 30), ({"delegation": "ZZ"}, 40),
    ({"trade": "W01", "delegation": "ZZ"}, 10), ({"q": "j11"}, 10), ({"role": "chief_judge"}, 0),
])
def test_judge_list_filters_and_pages(organizer, judges_120, query, expected):
    assert len(listed_judges(organizer.get(f"{BASE}/judges", query_string=query))) == expected


def test_judge_list_pages_cover_every_judge(organizer, judges_120):
    seen = set()
    for page in (1, 2, 3):
        seen.update(listed_judges(organizer.get(f"{BASE}/judges", query_string={"page": page})))
    assert len(seen) == 120


def test_list_pages_do_not_query_per_row(app, organizer, seventy_trades, judges_120):
    """The lists at the seed's size load what they show up front (no query per row)."""
    for url in (f"{BASE}/trades", f"{BASE}/judges", f"{BASE}/"):
        with count_queries() as statements:
            assert organizer.get(url).status_code == 200
        assert len(statements) < 20, (url, len(statements))


# --- languages ---------------------------------------------------------------------------------

def test_english_labels(organizer, event):
    organizer.post("/language", data={"lang": "en"})
    page = html(organizer.get(f"{BASE}/trades"))
    assert '<html lang="en">' in page and ">Trades<" in page


def test_language_switch_returns_to_the_page(organizer, event):
    response = organizer.post("/language", data={"lang": "zh", "next": f"{BASE}/trades?kind=pair"})
    assert is_redirect_to(response, f"{BASE}/trades?kind=pair")
    assert 'lang="zh-CN"' in html(organizer.get(f"{BASE}/trades"))


def test_chinese_labels(organizer, event):
    organizer.post("/language", data={"lang": "zh"})
    page = html(organizer.get(f"{BASE}/trades"))
    assert ">赛项<" in page and ">Trades<" not in page


def test_an_administrator_creates_an_organizer_who_can_log_in(app, make_event, make_user):
    make_event(code="ORG1")
    admin = make_user(Role.ADMINISTRATOR, None)
    client = fresh_client(app)
    client.post("/auth/login", data={"username": admin.username, "password": "correct horse battery"})
    page = client.post("/manage/events/ORG1/organizers", data={"name": "王老师", "username": "wang"})
    assert page.status_code == 200
    password = re.search(r"<code>wang</code></td><td><code>([^<]+)</code>", page.get_data(as_text=True))[1]
    organizer = fresh_client(app)
    assert organizer.post("/auth/login", data={"username": "wang", "password": password}).status_code == 302
    # A password made by someone else is changed by its holder before any page opens.
    assert organizer.get("/manage/events/ORG1/").headers["Location"].startswith("/auth/password")
    changed = organizer.post("/auth/password", data={"current": password, "new": "harbour lights 2026",
                                                      "repeat": "harbour lights 2026"})
    assert changed.status_code == 302
    assert organizer.get("/manage/events/ORG1/").status_code == 200
    again = client.post("/manage/events/ORG1/organizers", data={"name": "王老师", "username": "WANG"})
    assert again.status_code == 422


def test_only_administrators_create_organizers(app, make_event, make_user, login, client):
    event = make_event(code="ORG2")
    login(make_user(Role.ORGANIZER, event))
    assert client.get("/manage/events/ORG2/organizers").status_code == 403


def test_a_weighted_scheme_shows_the_sum_of_its_weights_as_its_maximum(organizer, make_trade,
                                                                       event):
    """Theory 30 % with 30 marks, practical 70 % with 100 marks: the best total is 100, not the
    130 the aspects add up to."""
    trade = make_trade(event, code="W09", aspects=((Decimal(30), "measurement"),))
    trade.criteria[0].weight = Decimal(30)
    trade.criteria.append(Criterion(code="B", name_zh="实操", position=1, weight=Decimal(70),
                                    aspects=[Aspect(code="B1", description_zh="作品", kind="measurement",
                                                    max_mark=Decimal(100), position=0)]))
    db.session.commit()
    page = html(organizer.get(f"{BASE}/trades/W09/"))
    shown = re.search(r"Maximum total: ([\d.]+)", page)
    assert shown and Decimal(shown.group(1)) == 100, shown and shown.group(0)
    listed = html(organizer.get(f"{BASE}/trades"))
    row = re.search(r"W09.*?</tr>", listed, re.S).group(0)
    assert "100" in row and "130" not in row


def test_looking_at_the_award_rule_writes_nothing(organizer, event):
    """A GET never commits: the event without a stored rule shows the default and stores none."""
    assert count(AwardRule, AwardRule.event_id == event.id) == 0
    response = organizer.get(f"{BASE}/award-rule")
    assert response.status_code == 200
    assert count(AwardRule, AwardRule.event_id == event.id) == 0
    assert default_rule(event).method == "places"
