"""Issue 13, findings 1 and 2: the verification page reveals nothing that is not public, numbers
cannot be counted through, lookups are limited per address, and an amendment revokes the
certificates whose award it changes at once."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Certificate
from competition.public.views import VERIFY_LIMIT
from competition.services import certificates, publishing, results, throttle
from competition.services.errors import Invalid
from tests.app.support import set_marks

EN = {"Accept-Language": "en"}
NUMBER = re.compile(r"^HN2026-\d{4}-\d{4}-[0-9A-HJKMNP-TV-Z]{5}$")


def page(client, number: str, address: str = "127.0.0.1") -> tuple[int, str]:
    response = client.get(f"/verify/{number}", headers=EN, environ_base={"REMOTE_ADDR": address})
    assert "no-store" in response.headers["Cache-Control"]
    return response.status_code, response.get_data(as_text=True)


def valid_number(name: str, kind: str = "award") -> str:
    return db.session.scalar(sa.select(Certificate.number).where(
        Certificate.name == name, Certificate.kind == kind, Certificate.revoked_at.is_(None)))


def test_under_embargo_a_certificate_only_exists(competition, client):
    """Certificates printed before the closing ceremony verify as "exists, verifiable after the
    announcement": no name, delegation, trade or award, not even for a revoked one."""
    results.set_embargo(competition.event, competition.organizer, True)
    publishing.publish(competition.cooking.trade, competition.organizer)
    certificates.issue(competition.event)
    for name in ("+赵六", "张三丰"):
        number = valid_number(name)
        status, html = page(client, number)
        assert status == 200 and "verify-result pending" in html, name
        assert "can be verified once the results are announced" in html
        for secret in (name, "郑州市", "Cooking", "烹饪", "焊接", "Gold", "金牌", "Silver"):
            assert secret not in html, (name, secret)
        assert certificates.verify(number).certificate is None
    set_marks(competition.welding.trade, competition.welding.entrants[3], 59, 40)
    old = valid_number("张三丰")
    publishing.amend(competition.welding.trade, competition.organizer, "复核更正")
    status, html = page(client, old)
    assert "verify-result pending" in html and "复核更正" not in html

    results.release(competition.event, competition.organizer)
    status, html = page(client, valid_number("+赵六"))
    assert "verify-result valid" in html and "+赵六" in html
    assert "verify-result revoked" in page(client, old)[1]


def test_numbers_cannot_be_counted_through(competition, client):
    """The issue's attack: 75 anonymous requests for numbers in sequence read every certificate
    of the small demo. Now every number ends in a random check code, a sequence finds nothing,
    and the address is refused after the limit, while other addresses still verify."""
    certificates.issue(competition.event)
    numbers = [c.number for c in db.session.scalars(sa.select(Certificate))]
    assert numbers and all(NUMBER.match(n) for n in numbers)
    assert len({n.rsplit("-", 1)[1] for n in numbers}) >= len(numbers) - 1  # codes differ
    guesses = [f"HN2026-{trade:04d}-{serial:04d}" for trade in (1, 2) for serial in range(1, 40)]
    answers = [page(client, guess, "198.51.100.7") for guess in guesses[:75]]
    found = [html for status, html in answers if "verify-result valid" in html]
    assert not found
    assert all("verify-result unknown" in html for _, html in answers[:VERIFY_LIMIT])
    refused = [status for status, _ in answers[VERIFY_LIMIT:]]
    assert refused and set(refused) == {429}
    limited = client.get(f"/verify/{numbers[0]}", headers=EN,
                         environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    assert "Too many verifications" in limited.get_data(as_text=True)
    assert numbers[0] not in limited.get_data(as_text=True).rsplit("</form>", 1)[1]
    # A wrong check code is as unknown as a made-up number; the holder of the certificate, from
    # another address, verifies it.
    stem, code = numbers[0].rsplit("-", 1)
    other = "0" if code[0] != "0" else "1"
    assert "verify-result unknown" in page(client, f"{stem}-{other}{code[1:]}", "203.0.113.9")[1]
    assert "verify-result valid" in page(client, numbers[0], "203.0.113.9")[1]


def test_the_empty_form_is_not_counted(competition, client):
    for _ in range(VERIFY_LIMIT + 5):
        assert client.get("/verify").status_code == 200


def test_a_counter_store_that_is_down_refuses_with_503(competition, client, app, monkeypatch):
    certificates.issue(competition.event)
    monkeypatch.setitem(app.extensions, "counter_store",
                        throttle.RedisStore("redis://127.0.0.1:1/0"))
    status, html = page(client, valid_number("张三丰"))
    assert status == 503 and "Verification is unavailable for a moment" in html
    assert "张三丰" not in html


def test_numbers_are_read_as_typed_from_paper_and_old_numbers_keep_working(competition, client):
    certificates.issue(competition.event)
    first, second = db.session.scalars(sa.select(Certificate).order_by(Certificate.id)).all()[:2]
    first.number = "HN2026-0001-0001"                     # issued before check codes
    second.number = f"{second.number.rsplit('-', 1)[0]}-0A1B2"
    db.session.commit()
    assert "verify-result valid" in page(client, "HN2026-0001-0001")[1]
    typed = f"{second.number.rsplit('-', 1)[0].lower()}-oaib2"
    status, html = page(client, typed)
    assert "verify-result valid" in html and second.name in html


def test_an_amendment_revokes_at_once_with_reason_and_replacement(competition, client):
    """No printing or issuing after the amendment: the verification page says "revoked", why,
    and which certificate replaced it, the moment the amendment is published."""
    certificates.issue(competition.event)
    gold = valid_number("张三丰")
    bronze = valid_number("李四")
    set_marks(competition.welding.trade, competition.welding.entrants[3], 59, 40)
    publishing.amend(competition.welding.trade, competition.organizer, "王五成绩复核更正")

    status, html = page(client, gold)
    assert "verify-result revoked" in html and "王五成绩复核更正" in html
    replacement = valid_number("张三丰")
    assert replacement != gold and f"/verify/{replacement}" in html
    status, html = page(client, replacement)
    assert "verify-result valid" in html and "Silver" in html
    status, html = page(client, bronze)
    assert "verify-result revoked" in html and "replaced by" not in html
    assert "verify-result valid" in page(client, valid_number("王五"))[1]
    again = certificates.issue(competition.event)
    assert (again.issued, again.revoked) == (0, 0)


def test_an_amendment_before_any_certificate_issues_none(competition):
    set_marks(competition.welding.trade, competition.welding.entrants[3], 59, 40)
    publishing.amend(competition.welding.trade, competition.organizer, "复核更正")
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id))) == 0


def test_a_refused_amendment_revokes_nothing(competition):
    certificates.issue(competition.event)
    before = db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(
        Certificate.revoked_at.is_not(None)))
    with pytest.raises(Invalid):  # no reason given
        publishing.amend(competition.welding.trade, competition.organizer, " ")
    assert db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(
        Certificate.revoked_at.is_not(None))) == before == 0
