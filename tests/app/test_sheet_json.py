"""The judge's sheet saved in the background (JSON, cell by cell): saved, refused and stale per
cell, every rule of the form's save, an audit row per saved mark; 401 and 400 as JSON."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from competition import create_app
from competition.extensions import db
from competition.models import AuditEntry, Score
from competition.services import judging
from tests.app.support import PASSWORD, app_settings, csrf_token


def url(scene) -> str:
    return f"/judge/trades/{scene.trade.id}/sheet/cells"


def name(scene, entrant, aspect) -> str:
    return f"{judging.entrant_key(scene.trade.id, entrant.id)}-{aspect.id}"


def post(client, scene, *cells, reason=""):
    return client.post(url(scene), json={"cells": [
        {"cell": name(scene, e, a), "value": v, "version": version} for e, a, v, version in cells],
        "reason": reason})


def stored(judge, entrant, aspect):
    return db.session.execute(sa.select(Score.value, Score.version).where(
        Score.judge_id == judge.id, Score.entrant_id == entrant.id,
        Score.aspect_id == aspect.id)).one_or_none()


def audit_rows(judge) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.judge_id == judge.id))


def test_saved_cells_answer_their_version_and_write_one_audit_row_each(scene, login):
    client, judge = login(scene.judges[2]), scene.judges[2]
    entrant, (a1, _a2, a3) = scene.entrants[0], scene.aspects
    response = post(client, scene, (entrant, a1, "４．５", None), (entrant, a3, "12。5", None))
    assert response.status_code == 200
    answers = response.get_json()["cells"]
    assert [(a["state"], a["version"], a["value"]) for a in answers] == [
        ("saved", 1, "4.5"), ("saved", 1, "12.5")]
    assert stored(judge, entrant, a1) == (Decimal("4.5"), 1)
    assert audit_rows(judge) == 2
    again = post(client, scene, (entrant, a1, "5", 1)).get_json()["cells"][0]
    assert (again["state"], again["version"]) == ("saved", 2)
    assert audit_rows(judge) == 3


def test_a_refused_cell_does_not_hold_back_the_others(scene, login):
    client, judge = login(scene.judges[2]), scene.judges[2]
    entrant, (a1, a2, a3) = scene.entrants[1], scene.aspects
    answers = post(client, scene, (entrant, a1, "11", None), (entrant, a2, "2", None),
                   (entrant, a3, "x", None)).get_json()["cells"]
    assert [a["state"] for a in answers] == ["refused", "saved", "refused"]
    assert "10" in answers[0]["reason"] and answers[2]["reason"]
    assert stored(judge, entrant, a1) is None and stored(judge, entrant, a2) == (Decimal(2), 1)
    assert audit_rows(judge) == 1


def test_a_recused_cell_is_refused_with_the_reason(scene, login):
    client = login(scene.judges[0])
    answer = post(client, scene, (scene.entrants[0], scene.aspects[0], "3", None)).get_json()
    assert answer["cells"][0]["state"] == "refused" and answer["cells"][0]["reason"]
    assert stored(scene.judges[0], scene.entrants[0], scene.aspects[0]) is None


def test_a_cell_changed_elsewhere_is_stale_with_the_servers_value(scene, login):
    client, judge = login(scene.judges[2]), scene.judges[2]
    entrant, aspect = scene.entrants[2], scene.aspects[0]
    post(client, scene, (entrant, aspect, "6", None))
    post(client, scene, (entrant, aspect, "7", 1))  # another page of the same judge
    answer = post(client, scene, (entrant, aspect, "8", 1)).get_json()["cells"][0]
    assert (answer["state"], answer["current"], answer["version"]) == ("stale", "7", 2)
    assert answer["reason"] and stored(judge, entrant, aspect) == (Decimal(7), 2)
    # the judge keeps theirs: sent again at the server's version, it is saved
    answer = post(client, scene, (entrant, aspect, "8", 2)).get_json()["cells"][0]
    assert (answer["state"], answer["version"]) == ("saved", 3)


def test_a_resent_mark_whose_answer_was_lost_is_saved_once(scene, login):
    client, judge = login(scene.judges[2]), scene.judges[2]
    entrant, aspect = scene.entrants[2], scene.aspects[2]
    post(client, scene, (entrant, aspect, "9", None))
    answer = post(client, scene, (entrant, aspect, "9", None)).get_json()["cells"][0]
    assert (answer["state"], answer["version"]) == ("saved", 1)
    assert audit_rows(judge) == 1


def test_a_queued_mark_for_a_trade_signed_off_meanwhile_is_refused_with_that_reason(
        scene, login, sign_off):
    client = login(scene.judges[2])
    sign_off(scene.trade)
    answer = post(client, scene, (scene.entrants[2], scene.aspects[0], "5", None)).get_json()
    cell = answer["cells"][0]
    assert cell["state"] == "refused"
    assert "sign" in cell["reason"].lower() or "签" in cell["reason"]
    assert stored(scene.judges[2], scene.entrants[2], scene.aspects[0]) is None


def test_an_ended_session_answers_401_json(scene, client):
    response = post(client, scene, (scene.entrants[2], scene.aspects[0], "5", None))
    assert response.status_code == 401 and response.is_json
    assert response.get_json()["error"] == "session"


@pytest.mark.parametrize("body", [None, {}, {"cells": []}, {"cells": [{"cell": "x"}]},
                                  {"cells": [{"cell": "ab-1", "value": 5, "version": None}]}])
def test_a_body_not_understood_answers_400_json(scene, login, body):
    response = login(scene.judges[2]).post(url(scene), json=body)
    assert response.status_code == 400 and response.get_json()["error"] == "body"


@pytest.fixture(scope="module")
def csrf_app(database_url, app):
    protected = create_app(app_settings(database_url, WTF_CSRF_ENABLED=True))
    yield protected
    with protected.app_context():
        db.engine.dispose()


def test_a_bad_csrf_token_answers_400_json_and_a_good_one_saves(scene, csrf_app):
    browser = csrf_app.test_client()
    token = csrf_token(browser.get("/auth/login"))
    browser.post("/auth/login", data={"username": scene.judges[2].username, "password": PASSWORD,
                                      "csrf_token": token})
    body = {"cells": [{"cell": name(scene, scene.entrants[2], scene.aspects[0]), "value": "5",
                       "version": None}]}
    response = browser.post(url(scene), json=body, headers={"X-CSRFToken": "forged"})
    assert response.status_code == 400 and response.get_json()["error"] == "csrf"
    assert stored(scene.judges[2], scene.entrants[2], scene.aspects[0]) is None
    response = browser.post(url(scene), json=body, headers={"X-CSRFToken": token})
    assert response.get_json()["cells"][0]["state"] == "saved"


def test_the_service_worker_is_served_for_the_judge_pages(client):
    response = client.get("/judge/sw.js")
    assert response.status_code == 200 and "javascript" in response.content_type
    assert response.headers["Service-Worker-Allowed"] == "/judge/"
    response.close()
