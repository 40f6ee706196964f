"""The publication workflow: provisional → published → amended; the embargo; who may do what."""

from __future__ import annotations

import pytest

from competition.domain.publication import ALREADY_PUBLISHED, NOT_SIGNED_OFF, REASON_REQUIRED
from competition.extensions import db
from competition.models import ResultLine, ResultVersion, Role
from competition.services import publishing, results
from competition.services.errors import Invalid, NotAllowed
from tests.app.support import set_marks


def test_provisional_results_are_not_public(scored_trade, make_user):
    s = scored_trade([90, 80], signed_off=False)
    assert results.compute(s.trade).lines[0].place == 1
    assert results.public_trade(s.event, s.trade) is None
    assert all(row.total == 0 for row in results.public_medal_table(s.event))


def test_publish_only_after_sign_off(scored_trade, make_user, sign_off):
    s = scored_trade([90, 80], signed_off=False)
    organizer = make_user(Role.ORGANIZER, s.event)
    with pytest.raises(NotAllowed) as refusal:
        results.publish(s.trade, organizer)
    assert refusal.value.problem.message == NOT_SIGNED_OFF
    assert db.session.query(ResultVersion).count() == 0
    sign_off(s.trade)
    version = results.publish(s.trade, organizer)
    assert (version.number, version.is_amendment, version.published_by_id) == (1, False, organizer.id)
    assert results.public_trade(s.event, s.trade).lines[0].entrant_id == s.entrants[0].id


def test_publish_twice_is_refused(scored_trade, make_user):
    s = scored_trade([90, 80])
    organizer = make_user(Role.ORGANIZER, s.event)
    results.publish(s.trade, organizer)
    with pytest.raises(NotAllowed) as refusal:
        results.publish(s.trade, organizer)
    assert refusal.value.problem.message == ALREADY_PUBLISHED


def test_published_results_are_frozen_until_amended(scored_trade, make_user):
    s = scored_trade([90, 80])
    organizer = make_user(Role.ORGANIZER, s.event)
    results.publish(s.trade, organizer)
    set_marks(s.trade, s.entrants[1], 99)               # a correction after publication
    public = results.public_trade(s.event, s.trade)
    assert [line.entrant_id for line in public.lines][:1] == [s.entrants[0].id]
    assert not public.amended

    with pytest.raises(Invalid) as refusal:
        publishing.amend(s.trade, organizer, "   ")
    assert refusal.value.problems["reason"].message == REASON_REQUIRED

    version = publishing.amend(s.trade, organizer, "Marks of entrant 2 corrected after re-check")
    assert (version.number, version.is_amendment) == (2, True)
    public = results.public_trade(s.event, s.trade)
    assert public.amended and public.version == 2
    assert public.latest_amendment.reason == "Marks of entrant 2 corrected after re-check"
    assert public.lines[0].entrant_id == s.entrants[1].id
    # every version is kept, with its own lines
    first = results.published(s.trade, 1)
    assert first.lines[0].entrant_id == s.entrants[0].id
    assert db.session.query(ResultLine).count() == 4


def test_amend_needs_a_published_trade(scored_trade, make_user):
    s = scored_trade([90, 80])
    with pytest.raises(NotAllowed):
        publishing.amend(s.trade, make_user(Role.ORGANIZER, s.event), "Fix")


def test_embargo_hides_everything_until_released(scored_trade, make_user):
    s = scored_trade([90, 80])
    organizer = make_user(Role.ORGANIZER, s.event)
    results.set_embargo(s.event, organizer, True)
    results.publish(s.trade, organizer)
    assert results.public_trade(s.event, s.trade) is None
    assert results.public_medal_table(s.event) is None
    assert results.public_delegation(s.event, s.entrants[0].delegation) == []
    assert results.medal_table(s.event)[0].gold == 1          # organizers see it
    results.release(s.event, organizer)
    assert s.event.results_released_at is not None
    assert results.public_trade(s.event, s.trade).version == 1
    assert results.public_medal_table(s.event)[0].gold == 1


def test_publish_all_publishes_signed_off_trades_and_reports_the_rest(scored_trade, make_event,
                                                                        make_user):
    event = make_event()
    done = scored_trade([90, 80], event=event)
    open_ = scored_trade([70, 60], event=event, signed_off=False)
    outcome = results.publish_all(event, make_user(Role.ORGANIZER, event))
    assert outcome.published == [done.trade]
    assert [(t, p.message) for t, p in outcome.skipped] == [(open_.trade, NOT_SIGNED_OFF)]


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.JUDGE, Role.CHIEF_JUDGE])
def test_only_organizers_publish(scored_trade, make_user, role):
    s = scored_trade([90, 80])
    with pytest.raises(NotAllowed):
        results.publish(s.trade, make_user(role, s.event))


def test_organizer_of_another_event_may_not_publish(scored_trade, make_user, make_event):
    s = scored_trade([90, 80])
    with pytest.raises(NotAllowed):
        results.publish(s.trade, make_user(Role.ORGANIZER, make_event()))


# --- the organizer's pages -------------------------------------------------------------------

def page(client, s, suffix=""):
    return client.get(f"/manage/events/{s.event.code}/results{suffix}")


@pytest.mark.parametrize("role, chief, status", [
    (Role.ORGANIZER, False, 200), (Role.SUPERVISOR, False, 200), (Role.CHIEF_JUDGE, True, 200),
    (Role.JUDGE, False, 403), (Role.CHIEF_JUDGE, False, 403)])
def test_who_sees_provisional_results(scored_trade, make_user, login, client, role, chief, status):
    s = scored_trade([90, 80], names=["张三", "李四"])
    user = make_user(role, s.event, trades=[s.trade], chief=chief)
    login(user)
    response = page(client, s, f"/{s.trade.code}")
    assert response.status_code == status
    if status == 200:
        html = response.get_data(as_text=True)
        assert "张三" in html and "李四" in html


def test_blind_judging_hides_names_from_the_chief_judge(scored_trade, make_user, login, client):
    s = scored_trade([90, 80], names=["张三", "李四"], uses_anonymous_codes=True)
    for entrant, code in zip(s.entrants, ("K-17", "K-42")):
        entrant.anonymous_code = code
    db.session.commit()
    login(make_user(Role.CHIEF_JUDGE, s.event, trades=[s.trade], chief=True))
    html = page(client, s, f"/{s.trade.code}").get_data(as_text=True)
    assert "K-17" in html and "K-42" in html
    assert "张三" not in html and s.entrants[0].delegation.name_zh not in html
    s.trade.codes_revealed = True
    db.session.commit()
    assert "张三" in page(client, s, f"/{s.trade.code}").get_data(as_text=True)


def test_chief_judge_lists_only_own_trades(scored_trade, make_user, make_event, login, client):
    event = make_event()
    mine = scored_trade([90], event=event)
    other = scored_trade([80], event=event)
    login(make_user(Role.CHIEF_JUDGE, event, trades=[mine.trade], chief=True))
    html = page(client, mine).get_data(as_text=True)
    assert mine.trade.name_zh in html and other.trade.name_zh not in html
    assert client.get(f"/manage/events/{event.code}/results/{other.trade.code}").status_code == 403


def test_pages_of_another_event_are_refused(scored_trade, make_user, make_event, login, client):
    s = scored_trade([90])
    login(make_user(Role.ORGANIZER, make_event()))
    assert page(client, s).status_code == 403
    assert page(client, s, f"/{s.trade.code}").status_code == 403


def test_anonymous_users_are_sent_to_log_in(scored_trade, client):
    s = scored_trade([90])
    assert page(client, s).status_code == 302


def test_organizer_publishes_and_amends_from_the_page(scored_trade, make_user, login, client):
    s = scored_trade([90, 80])
    login(make_user(Role.ORGANIZER, s.event))
    client.post("/language", data={"lang": "en"})
    base = f"/manage/events/{s.event.code}/results/{s.trade.code}"
    assert 'action="' + base + '/publish"' in client.get(base).get_data(as_text=True)
    client.post(base + "/publish")
    assert results.public_trade(s.event, s.trade).version == 1
    response = client.post(base + "/amend", data={"reason": ""}, follow_redirects=True)
    assert "Give the reason" in response.get_data(as_text=True)
    assert results.public_trade(s.event, s.trade).version == 1
    client.post(base + "/amend", data={"reason": "Corrected"})
    assert results.public_trade(s.event, s.trade).version == 2


def test_supervisor_cannot_post(scored_trade, make_user, login, client):
    s = scored_trade([90, 80])
    login(make_user(Role.SUPERVISOR, s.event))
    assert client.post(f"/manage/events/{s.event.code}/results/{s.trade.code}/publish").status_code == 403
    assert client.post(f"/manage/events/{s.event.code}/results/embargo",
                       data={"embargo": "on"}).status_code == 403
    assert results.public_trade(s.event, s.trade) is None


def test_embargo_and_release_from_the_event_page(scored_trade, make_user, login, client):
    s = scored_trade([90, 80])
    organizer = make_user(Role.ORGANIZER, s.event)
    results.publish(s.trade, organizer)
    login(organizer)
    client.post("/language", data={"lang": "en"})
    client.post(f"/manage/events/{s.event.code}/results/embargo", data={"embargo": "on"})
    db.session.refresh(s.event)
    assert s.event.results_embargoed and results.public_trade(s.event, s.trade) is None
    client.post(f"/manage/events/{s.event.code}/results/embargo", data={"embargo": "off"})
    db.session.refresh(s.event)
    assert results.public_trade(s.event, s.trade) is not None
    listing = page(client, s).get_data(as_text=True)
    assert "Released" in listing
    assert 'name="reason"' in page(client, s, f"/{s.trade.code}").get_data(as_text=True)


def test_publish_form_needs_a_csrf_token(app, scored_trade, make_user, login, client):
    s = scored_trade([90, 80])
    login(make_user(Role.ORGANIZER, s.event))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/manage/events/{s.event.code}/results/{s.trade.code}/publish")
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert results.public_trade(s.event, s.trade) is None


# --- the command line ------------------------------------------------------------------------

def test_cli_publish_and_results(scored_trade, make_event, runner):
    event = make_event(code="CLI1")
    s = scored_trade([90, 80], event=event, names=["张三", "李四"])
    scored_trade([70], event=event, signed_off=False)
    out = runner.invoke(args=["results", "--event", "CLI1", "--trade", s.trade.code])
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[1].split()[:4] == ["Place", "Number", "Name", "Delegation"]
    first = next(line for line in lines if "张三" in line)
    assert first.split()[0] == "1" and "Gold" in first and "90" in first
    published = runner.invoke(args=["publish", "--event", "CLI1"])
    assert "Published 1 trades; 1 not published." in published.output
    assert results.public_trade(event, s.trade).version == 1
    again = runner.invoke(args=["publish", "--event", "CLI1", "--trade", s.trade.code])
    assert again.exit_code != 0 and "already" in again.output
    table = runner.invoke(args=["results", "--event", "CLI1"]).output
    assert "Medal table" in table and "version 1" in table
    header = next(line for line in table.splitlines() if line.startswith("Rank"))
    row = table.splitlines()[table.splitlines().index(header) + 2]
    assert row.split()[:3] == ["1", s.entrants[0].delegation.name_zh, "1"]
