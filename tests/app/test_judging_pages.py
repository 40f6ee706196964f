"""The judging pages: access on the server for every POST, the sheet, blind judging, sign-off,
control, conflicts, the audit log and the blank marking sheet."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import AuditEntry, Conflict, Role, Score, TradeStatus
from competition.services import judging
from tests.app.support import cell, count, fill, may_score, read_workbook, stored


def sheet_url(s, **args):
    return f"/judge/trades/{s.trade.id}/sheet" + ("?" + "&".join(f"{k}={v}" for k, v in args.items())
                                                  if args else "")


def key(entrant) -> str:
    """How the judges' pages name an entrant (never by its id)."""
    return judging.entrant_key(entrant.trade_id, entrant.id)


def form_for(*cells):
    """POST data for cells given as (entrant, aspect, value, version, original)."""
    data = {}
    for entrant, aspect, value, version, original in cells:
        data[f"m-{key(entrant)}-{aspect.id}"] = value
        data[f"v-{key(entrant)}-{aspect.id}"] = "" if version is None else str(version)
        data[f"o-{key(entrant)}-{aspect.id}"] = original
    return data


def test_my_trades_lists_only_the_judges_trades(scene, login, make_trade):
    make_trade(scene.event, code="OTHER")
    html = login(scene.judges[2]).get("/judge/").get_data(as_text=True)
    assert scene.trade.code in html and "OTHER" not in html


def test_the_sheet_is_never_cached_and_shows_every_cell(scene, login):
    response = login(scene.judges[2]).get(sheet_url(scene))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert html.count('inputmode="decimal"') == 9
    assert 'name="csrf_token"' in html and "js/sheet.js" in html and "<script>" not in html


def test_the_recused_cells_have_no_input(scene, login):
    html = login(scene.judges[0]).get(sheet_url(scene)).get_data(as_text=True)
    assert html.count('inputmode="decimal"') == 6
    assert f'name="m-{key(scene.entrants[0])}-' not in html


def test_saving_a_sheet_through_the_page(scene, login):
    client = login(scene.judges[2])
    e = scene.entrants[0]
    response = client.post(sheet_url(scene), data=form_for(
        (e, scene.measurement, "7.5", None, ""), (e, scene.judgement, "", None, ""),
        (e, scene.panel, "11", None, "")))
    assert response.status_code == 302
    assert stored(scene.judges[2], e, scene.measurement).value == Decimal("7.5")
    assert count(Score) == 2
    html = client.get(sheet_url(scene)).get_data(as_text=True)
    assert 'value="7.5"' in html


def test_a_bad_cell_is_shown_next_to_the_cell_and_nothing_is_saved(scene, login):
    e = scene.entrants[0]
    response = login(scene.judges[2]).post(sheet_url(scene), data=form_for(
        (e, scene.measurement, "7.5", None, ""), (e, scene.judgement, "5", None, "")))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="e-{key(e)}-{scene.judgement.id}"' in html
    assert 'value="7.5"' in html  # what the judge typed stays
    assert count(Score) == 0


def test_a_conflicting_save_shows_the_current_value(scene, login):
    judge, e = scene.judges[2], scene.entrants[0]
    judging.save_sheet(judge, scene.trade, [cell(e, scene.measurement, "5")])
    judging.save_sheet(judge, scene.trade, [cell(e, scene.measurement, "6", version=1)])
    client = login(judge)
    client.post("/language", data={"lang": "en"})
    response = client.post(sheet_url(scene), data=form_for((e, scene.measurement, "9", 1, "5")))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "now 6" in html and "9" in html
    assert stored(judge, e, scene.measurement).value == 6


def test_untouched_cells_are_no_claim(scene, login):
    """The chief judge changed a mark; the judge's open sheet still saves its other cells."""
    judge, e = scene.judges[2], scene.entrants[0]
    judging.save_sheet(judge, scene.trade, [cell(e, scene.measurement, "5")])
    judging.save_sheet(scene.chief, scene.trade, [cell(e, scene.measurement, "6", 1, judge)],
                       reason="agreed measurement")
    response = login(judge).post(sheet_url(scene), data=form_for(
        (e, scene.measurement, "5", 1, "5"), (e, scene.panel, "12", None, "")))
    assert response.status_code == 302
    assert stored(judge, e, scene.measurement).value == 6


@pytest.mark.parametrize("who", ["outsider", "organizer", "supervisor"])
def test_the_sheet_refuses_whoever_is_not_a_judge_of_the_trade(scene, login, make_user,
                                                                make_trade, who):
    users = {"outsider": lambda: make_user(Role.JUDGE, scene.event,
                                           trades=(make_trade(scene.event),)),
             "organizer": lambda: scene.organizer, "supervisor": lambda: scene.supervisor}
    client = login(users[who]())
    assert client.get(sheet_url(scene)).status_code == 403
    e = scene.entrants[0]
    assert client.post(sheet_url(scene), data=form_for(
        (e, scene.measurement, "5", None, ""))).status_code == 403
    assert count(Score) == 0


def test_a_judge_of_another_event_gets_403(scene, login, make_event, make_user):
    other = make_user(Role.JUDGE, make_event())
    assert login(other).get(sheet_url(scene)).status_code == 403


def test_a_forged_post_for_an_own_delegation_entrant_saves_nothing(scene, login):
    e = scene.entrants[0]
    response = login(scene.judges[0]).post(sheet_url(scene), data=form_for(
        (e, scene.measurement, "5", None, "")))
    assert response.status_code == 422
    assert count(Score) == 0


def test_a_forged_post_for_a_declared_conflict_saves_nothing(scene, login):
    e = scene.entrants[1]
    db.session.add(Conflict(user_id=scene.judges[2].id, delegation_id=e.delegation_id))
    db.session.commit()
    response = login(scene.judges[2]).post(sheet_url(scene), data=form_for(
        (e, scene.measurement, "5", None, "")))
    assert response.status_code == 422 and count(Score) == 0


@pytest.mark.parametrize("status", [TradeStatus.SETUP, TradeStatus.SIGNED_OFF])
def test_posting_to_a_closed_trade_is_refused(scene, login, status):
    scene.trade.status = status
    db.session.commit()
    e = scene.entrants[0]
    response = login(scene.judges[2]).post(sheet_url(scene), data=form_for(
        (e, scene.measurement, "5", None, "")))
    assert response.status_code == 403 and count(Score) == 0


def test_blind_judging_never_shows_names_or_delegations_to_judges(scene, login):
    scene.trade.uses_anonymous_codes = True
    db.session.commit()
    fill(scene)
    secrets = [m.name for e in scene.entrants for m in e.members] + \
              [d.name_zh for d in scene.delegations] + [d.code for d in scene.delegations]
    client = login(scene.chief)
    pages = [client.get(sheet_url(scene)), client.get(f"/judge/trades/{scene.trade.id}/progress"),
             client.get(f"/judge/trades/{scene.trade.id}/entrants/{key(scene.entrants[0])}")]
    for response in pages:
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "X17" in html or response is pages[1]
        assert not [s for s in secrets if s in html]
    blank = client.get(f"/judge/trades/{scene.trade.id}/blank.xlsx")
    cells = [str(v) for rows in read_workbook(blank.data).values() for r in rows for v in r if v]
    assert "X17" in cells and not [s for s in secrets if any(s in c for c in cells)]
    organizer_html = login(scene.organizer).get(
        f"/judge/trades/{scene.trade.id}/progress").get_data(as_text=True)
    assert organizer_html  # organizers may see names; the judges' pages are what matter


def test_the_chief_judge_sees_progress_and_resolves_with_a_reason(scene, login):
    fill(scene)
    judge, e = scene.judges[2], scene.entrants[0]
    judging.save_sheet(judge, scene.trade, [cell(e, scene.judgement, "0", version=1)])
    client = login(scene.chief)
    client.post("/language", data={"lang": "en"})
    html = client.get(f"/judge/trades/{scene.trade.id}/progress").get_data(as_text=True)
    assert "Resolve" in html
    url = f"/judge/trades/{scene.trade.id}/entrants/{key(e)}"
    data = {f"m-{judge.id}-{scene.judgement.id}": "2", f"v-{judge.id}-{scene.judgement.id}": "2",
            f"o-{judge.id}-{scene.judgement.id}": "0"}
    assert client.post(url, data=data).status_code == 422
    assert client.post(url, data={**data, "reason": "scale misread"}).status_code == 302
    assert stored(judge, e, scene.judgement).value == 2
    assert client.get(f"/judge/trades/{scene.trade.id}/severity").status_code == 200


def test_a_plain_judge_neither_oversees_nor_resolves_nor_signs_off(scene, login):
    client = login(scene.judges[2])
    base = f"/judge/trades/{scene.trade.id}"
    assert client.get(f"{base}/progress").status_code == 403
    assert client.get(f"{base}/severity").status_code == 403
    assert client.post(f"{base}/entrants/{key(scene.entrants[0])}", data={}).status_code == 403
    assert client.post(f"{base}/sign-off", data={"note": "x"}).status_code == 403
    assert scene.trade.status == TradeStatus.OPEN


def test_sign_off_through_the_page_then_unlock_by_the_organizer(scene, login, client):
    fill(scene)
    login(scene.chief)
    assert client.post(f"/judge/trades/{scene.trade.id}/sign-off", data={}).status_code == 302
    db.session.refresh(scene.trade)
    assert scene.trade.status == TradeStatus.SIGNED_OFF
    base = f"/judge/events/{scene.event.code}/trades/{scene.trade.code}"
    assert client.post(f"{base}/unlock", data={"reason": "x"}).status_code == 403
    login(scene.organizer)
    assert client.get(f"{base}/control").status_code == 200
    client.post(f"{base}/unlock", data={"reason": ""})
    db.session.refresh(scene.trade)
    assert scene.trade.status == TradeStatus.SIGNED_OFF
    client.post(f"{base}/unlock", data={"reason": "appeal"})
    db.session.refresh(scene.trade)
    assert scene.trade.status == TradeStatus.OPEN


def test_the_organizer_opens_a_trade_and_a_supervisor_cannot(scene, login, client):
    scene.trade.status = TradeStatus.SETUP
    db.session.commit()
    url = f"/judge/events/{scene.event.code}/trades/{scene.trade.code}/open"
    login(scene.supervisor)
    assert client.get(f"/judge/events/{scene.event.code}/").status_code == 200
    assert client.post(url).status_code == 403
    login(scene.organizer)
    assert client.post(url).status_code == 302
    db.session.refresh(scene.trade)
    assert scene.trade.status == TradeStatus.OPEN


def test_declaring_conflicts_on_the_page(scene, login, client):
    url = f"/judge/events/{scene.event.code}/conflicts"
    contestant = scene.entrants[1].members[0]
    login(scene.supervisor)
    assert client.get(url).status_code == 200
    assert client.post(url, data={"judge": scene.judges[2].username,
                                  "contestant": contestant.competitor_number}).status_code == 403
    login(scene.organizer)
    assert client.post(url, data={"judge": "nobody", "contestant": contestant.competitor_number}
                       ).status_code == 422
    assert client.post(url, data={"judge": scene.judges[2].username,
                                  "contestant": contestant.competitor_number,
                                  "reason": "former coach"}).status_code == 302
    assert client.post(url, data={"judge": scene.judges[2].username, "delegation_id":
                                  str(scene.delegations[2].id)}).status_code == 302
    assert count(Conflict) == 2
    assert may_score(scene.judges[2], scene.entrants[1], scene.panel) is not None
    conflict = db.session.scalars(sa.select(Conflict)).first()
    assert client.post(f"{url}/{conflict.id}/delete").status_code == 302
    assert count(Conflict) == 1


def test_the_audit_log_filters_and_exports_for_organizers_and_supervisors(scene, login, client):
    fill(scene)
    url = f"/judge/events/{scene.event.code}/audit"
    login(scene.judges[2])
    assert client.get(url).status_code == 403
    login(scene.supervisor)
    everything = client.get(url).get_data(as_text=True)
    total = count(AuditEntry)
    assert f"{total}" in everything
    one_judge = client.get(f"{url}?judge={scene.judges[2].username}&trade={scene.trade.id}")
    assert one_judge.status_code == 200
    exported = client.get(f"{url}.xlsx?judge={scene.judges[2].username}")
    rows = next(iter(read_workbook(exported.data).values()))
    # judge 2 fills last: the measurements are already entered, 3 × (judgement + panel)
    assert sum(1 for r in rows if scene.judges[2].username in r) == 6
    assert client.get(f"{url}?date_from=2000-01-01&date_to=2000-01-02").get_data(
        as_text=True).count("<tr class=\"action-") == 0


def test_the_blank_marking_sheet_lists_entrants_and_aspects(scene, login):
    response = login(scene.organizer).get(f"/judge/trades/{scene.trade.id}/blank.xlsx")
    rows = next(iter(read_workbook(response.data).values()))
    assert any("A/A2 (0-3)" in [str(v) for v in r] for r in rows)
    assert sum(1 for r in rows if r and r[0] in ("1", "2", "3")) == 3


def test_a_recused_cell_slipped_into_the_form_is_refused_with_the_reason(scene, login):
    """The cell is not on the sheet, so the reason is said at the top of the page."""
    client = login(scene.judges[0])
    client.post("/language", data={"lang": "en"})
    own = scene.entrants[0]  # the judge's own delegation
    response = client.post(sheet_url(scene), data=form_for((own, scene.measurement, "5", None, "")))
    assert response.status_code == 422
    assert "may not mark an entrant of their own delegation" in response.get_data(as_text=True)
    assert stored(scene.judges[0], own, scene.measurement) is None


def test_severity_bars_are_drawn_to_the_size_of_each_judges_deviation(scene, login):
    """Panel marks 12, 10 and 10 of 20 for one entrant: on the common scale (5 % per mark) the
    first judge is 10 % above the others (out of line, a bar of 40 %), the other two 5 % below
    (bars of 20 %)."""
    entrant = scene.entrants[2]
    for judge, value in zip(scene.judges, ("12", "10", "10")):
        assert judging.save_sheet(judge, scene.trade, [cell(entrant, scene.panel, value)]).ok
    client = login(scene.chief)
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/judge/trades/{scene.trade.id}/severity").get_data(as_text=True)
    widths = re.findall(r'class="severity-bar (harsh|lenient)" style="width: (\d+)%"', page)
    assert sorted(widths) == [("harsh", "20"), ("harsh", "20"), ("lenient", "40")]
    assert page.count("out of line") == 1


@pytest.mark.parametrize("value", ["", "abc", "1.5", "-3", "999999", str(2**40), "%00"],
                         ids=["empty", "text", "decimal", "negative", "unknown", "huge", "nul"])
def test_a_bad_criterion_in_the_query_shows_the_whole_sheet(scene, login, value):
    """``?criterion=`` with anything but one of the trade's criteria shows every aspect (never
    a server error)."""
    response = login(scene.judges[2]).get(sheet_url(scene, criterion=value))
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:
        page = response.get_data(as_text=True)
        assert all(f"m-{key(scene.entrants[0])}-{a.id}" in page for a in scene.aspects)



def test_a_sheet_post_larger_than_the_sheet_is_refused_before_it_is_read(scene, login, monkeypatch):
    """Finding 11: a 15.5 MB POST to a nine-cell sheet took 10.5 s and 636 MB. Now a body larger
    than the sheet could ever send is answered 413 with the sheet, unsaved, and never parsed."""
    from competition.judging import bounds
    client = login(scene.judges[2])
    client.post("/language", data={"lang": "en"})
    e = scene.entrants[0]
    junk = {f"x{i}": "1" for i in range(60_000)}  # about 600 KB of fields
    parsed = []
    monkeypatch.setattr("werkzeug.formparser.FormDataParser.parse",
                        lambda *args, **kwargs: parsed.append(1) or (_ for _ in ()).throw(
                            AssertionError("the body was parsed")))
    response = client.post(sheet_url(scene), data={**form_for((e, scene.measurement, "5", None, "")),
                                                    **junk})
    monkeypatch.undo()
    assert response.status_code == 413 and not parsed
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "larger than this sheet" in html and html.count('inputmode="decimal"') == 9
    assert count(Score) == 0
    assert bounds.post_limit(9) < 600_000
    # A full sheet, every cell typed at length, stays well inside the bound.
    full = form_for(*[(entrant, aspect, "9" * 40, None, "8" * 40) for entrant in scene.entrants
                      for aspect in scene.aspects])
    assert len("&".join(f"{k}={v}" for k, v in full.items())) < bounds.post_limit(9) / 4


def test_a_sheet_post_of_unknown_length_is_cut_off_at_the_bound(scene, login):
    from io import BytesIO
    client = login(scene.judges[2])
    body = b"&".join(b"x%d=1" % i for i in range(100_000))
    response = client.post(sheet_url(scene), input_stream=BytesIO(body),
                           content_type="application/x-www-form-urlencoded",
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413
    assert count(Score) == 0


def test_the_chiefs_page_of_one_entrant_is_bounded_by_the_panel(scene, login):
    client = login(scene.chief)
    client.post("/language", data={"lang": "en"})
    url = f"/judge/trades/{scene.trade.id}/entrants/{key(scene.entrants[0])}"
    response = client.post(url, data={f"m-{i}-1": "1" for i in range(50_000)})
    assert response.status_code == 413
    assert "Marks of" in response.get_data(as_text=True)


def test_a_plain_judge_posting_a_huge_body_to_the_chiefs_page_gets_the_plain_error(scene, login):
    client = login(scene.judges[2])
    client.post("/language", data={"lang": "en"})
    url = f"/judge/trades/{scene.trade.id}/entrants/{key(scene.entrants[0])}"
    response = client.post(url, data={f"m-{i}-1": "1" for i in range(50_000)})
    assert response.status_code == 413 and "Marks of" not in response.get_data(as_text=True)
