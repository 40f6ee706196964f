"""The judge's score record (评分记录表, PDF): every mark one judge holds in one trade, with when
and why it last changed, then the signature block; who may download it.

The scene's trade has one criterion "A" with aspects A1 "要素1" (measurement, at most 10), A2
"要素2" (judgement) and A3 "要素3" (panel); entrants of delegations 0, 1 and 2 have draw numbers
1, 2, 3 and codes X17, X18, X19; judges[2] has no delegation (recused from nobody).
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from competition.extensions import db
from competition.models import Role
from competition.services import judging
from tests.app.support import client_for
from tests.app.support.scenes import cell


def url(scene, judge) -> str:
    return f"/judge/trades/{scene.trade.id}/judges/{judge.id}/record.pdf"


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)


@pytest.fixture
def marked(scene):
    """judges[2] marks X17 A1 7.5 and X18 A2 2; the chief judge then changes X17 A1 to 8.25
    with a reason."""
    judge, (first, second, _third) = scene.judges[2], scene.entrants
    assert judging.save_sheet(judge, scene.trade, [cell(first, scene.measurement, "7.5"),
                                                   cell(second, scene.judgement, "2")]).ok
    assert judging.save_sheet(scene.chief, scene.trade, [
        cell(first, scene.measurement, "8.25", 1, judge=judge)], reason="誊写错误").ok
    return scene


def test_the_record_lists_the_judges_marks_and_the_reason(marked, login):
    scene = marked
    text = pdf_text(login(scene.judges[2]).get(url(scene, scene.judges[2])))
    assert scene.judges[2].name in text and scene.judges[2].username in text
    assert "A/A1 要素1" in text and "A/A2 要素2" in text and "A/A3" not in text
    assert "8.25" in text and "7.5" not in text
    assert "誊写错误" in text
    names = [e.members[0].name for e in scene.entrants]
    assert names[0] in text and names[1] in text and names[2] not in text  # not blind


def test_the_signature_block_is_chinese(marked, login):
    text = pdf_text(login(marked.judges[2]).get(url(marked, marked.judges[2])))
    assert "裁判员签名：" in text and "裁判长签名：" in text and text.count("日期：") == 2
    assert "signature" not in text


def test_under_blind_judging_a_judge_s_record_has_codes_only(marked, login, app):
    scene = marked
    scene.trade.uses_anonymous_codes = True
    db.session.commit()
    text = pdf_text(login(scene.judges[2]).get(url(scene, scene.judges[2])))
    assert "X17" in text and "X18" in text and "8.25" in text
    for entrant in scene.entrants:
        assert entrant.members[0].name not in text
        assert entrant.delegation.name_zh not in text
    organizer = pdf_text(client_for(app, scene.organizer, None).get(url(scene, scene.judges[2])))
    assert scene.entrants[0].members[0].name in organizer


def test_a_judge_with_no_marks_gets_an_empty_record(scene, login):
    text = pdf_text(login(scene.judges[1]).get(url(scene, scene.judges[1])))
    assert "裁判员签名：" in text and "A/A1" not in text


def test_who_may_download_it(marked, app, make_event, make_user, client):
    scene = marked
    target = url(scene, scene.judges[2])
    for user in (scene.judges[2], scene.chief, scene.organizer, scene.supervisor):
        assert client_for(app, user).get(target).status_code == 200, user.role
    assert client_for(app, scene.judges[0]).get(target).status_code == 403
    stranger = make_user(Role.ORGANIZER, make_event())
    assert client_for(app, stranger).get(target).status_code in (403, 404)
    anonymous = client.get(target)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    # Not a judge of the trade: no record for anybody.
    assert client_for(app, scene.organizer).get(url(scene, scene.supervisor)).status_code == 403


def test_the_pages_link_the_record(marked, login, app):
    scene = marked
    own = login(scene.judges[2]).get("/judge/").get_data(as_text=True)
    assert url(scene, scene.judges[2]) in own
    progress = client_for(app, scene.chief).get(f"/judge/trades/{scene.trade.id}/progress")
    page = progress.get_data(as_text=True)
    assert all(url(scene, judge) in page for judge in scene.judges)
