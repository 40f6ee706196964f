"""The public verification page: valid, revoked (with the replacement) and unknown numbers, the
form, no login, and no personal data beyond name, delegation, trade, award, date and event."""

from __future__ import annotations

import sqlalchemy as sa

from competition.extensions import db
from competition.models import Certificate, Contestant
from competition.services import certificates, publishing
from tests.app.support import set_marks

EN = {"Accept-Language": "en"}


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url, headers=EN)
    assert response.status_code == status, url
    assert "no-store" in response.headers["Cache-Control"]
    return response.get_data(as_text=True)


def number_of(name: str, kind: str = "award") -> str:
    return db.session.scalar(sa.select(Certificate.number).where(
        Certificate.name == name, Certificate.kind == kind, Certificate.revoked_at.is_(None)))


def test_valid_certificate_shows_for_whom_and_what(competition, client):
    certificates.issue(competition.event)
    number = number_of("张三丰")
    html = page(client, f"/verify/{number}")
    assert 'verify-result valid' in html
    for word in (number, "张三丰", "郑州市", "Welding", "Gold",
                 "2nd Henan Vocational Skills Competition"):
        assert word in html, word
    for contestant in db.session.query(Contestant):
        assert contestant.id_number not in html
    assert certificates.verify(number).state == "valid"


def test_unknown_number(competition, client):
    certificates.issue(competition.event)
    html = page(client, "/verify/HN2026-9999-9999")
    assert "verify-result unknown" in html and "HN2026-9999-9999" in html
    assert certificates.verify("HN2026-9999-9999").state == "unknown"
    assert certificates.verify("<script>").state == "unknown"
    assert "&lt;script&gt;" in page(client, "/verify/%3Cscript%3E")


def test_revoked_certificate_names_its_replacement(competition, client):
    certificates.issue(competition.event)
    old = number_of("张三丰")
    set_marks(competition.welding.trade, competition.welding.entrants[3], 59, 40)
    publishing.amend(competition.welding.trade, None, "复核后更正")
    certificates.issue(competition.event)
    new = number_of("张三丰")
    assert new != old
    html = page(client, f"/verify/{old}")
    assert "verify-result revoked" in html and "复核后更正" in html
    assert f"/verify/{new}" in html
    assert "verify-result valid" in page(client, f"/verify/{new}")
    # 李四 lost the bronze: revoked, with nothing in its place.
    lost = db.session.scalar(sa.select(Certificate).where(Certificate.name == "李四"))
    html = page(client, f"/verify/{lost.number}")
    assert "verify-result revoked" in html and "replaced" not in html


def test_form_and_lower_case_numbers(competition, client, make_user, login):
    certificates.issue(competition.event)
    number = number_of("=1+1")
    assert "verify-result" not in page(client, "/verify")
    html = page(client, f"/verify?number={number.lower()}")
    assert "verify-result valid" in html and "=1+1" in html
    assert 'name="number"' in html
