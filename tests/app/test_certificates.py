"""Certificates: issued from published results (one per person and award, titles and
participation too), stable numbers, revocation and reissue after an amendment, glyphs checked
before printing, settings and uploads, batches with progress, and who may do what."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Certificate, CertificateKind, Contestant, ExportJob, JobStatus, Role
from competition.services import certificates, publishing, results
from competition.services.errors import Invalid, NotAllowed
from tests.app.support import pdf_pages, png, set_marks

BASE = "https://skills.example.cn"


@pytest.fixture(autouse=True)
def exports_in_tmp(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORTS_DIR", str(tmp_path / "exports"))


def certs(kind=None, **filters) -> list[Certificate]:
    query = sa.select(Certificate).order_by(Certificate.id)
    if kind:
        query = query.where(Certificate.kind == kind)
    for key, value in filters.items():
        query = query.where(getattr(Certificate, key) == value)
    return list(db.session.scalars(query))


def render(event, **choice) -> tuple[list[str], list[Certificate]]:
    chosen, data, settings = certificates.prepare(event, None, base_url=BASE, **choice)
    out = io.BytesIO()
    certificates.write_batch(chosen, data, "pdf", settings, out)
    return pdf_pages(out.getvalue()), chosen


def enable_participation(event) -> None:
    settings = certificates.settings_for(event)
    certificates.save_settings(event, None, layout=settings.layout, language="zh",
                               participation=True, organizer_text="", date_text="")


def test_award_certificate_names_person_trade_award_and_number(competition):
    pages, chosen = render(competition.event, trade=competition.welding.trade, kind="award")
    assert [c.name for c in chosen] == ["张三丰", "=1+1", "李四"]
    first = pages[0]
    for word in ("张三丰", "郑州市", "焊接", "金牌", "河南省第二届职业技能大赛", chosen[0].number,
                 "河南省人力资源和社会保障厅", "2026年11月23日"):
        assert word in first, word
    assert re.fullmatch(r"HN2026-0001-0001-[0-9A-HJKMNP-TV-Z]{5}", chosen[0].number)
    assert [c.number.rsplit("-", 2)[0] for c in chosen] == ["HN2026-0001"] * 3


def test_title_certificate(competition):
    pages, chosen = render(competition.event, trade=competition.welding.trade, kind="title")
    assert [(c.name, c.award_zh, c.award_en) for c in chosen] == [
        ("张三丰", "河南省技术能手", "Henan Technical Expert")]
    assert "河南省技术能手" in pages[0] and "荣誉证书" in pages[0]


def test_each_member_of_a_winning_team_gets_a_certificate(competition):
    pages, chosen = render(competition.event, trade=competition.pairs.trade, kind="award")
    winners = [m.name for m in competition.pairs.entrants[0].members]
    runners_up = [m.name for m in competition.pairs.entrants[1].members]
    assert [c.name for c in chosen] == winners + runners_up
    assert len({c.number for c in chosen}) == 4
    assert winners[0] in pages[0] and winners[1] in pages[1] and "金牌" in pages[1]
    assert {c.contestant_id for c in chosen} == {m.id for e in competition.pairs.entrants
                                                 for m in e.members}


def test_participation_certificates_for_every_contestant_of_published_trades(competition):
    with pytest.raises(NotAllowed):  # off unless the event asks for them
        certificates.prepare(competition.event, None, kind="participation", base_url=BASE)
    enable_participation(competition.event)
    pages, chosen = render(competition.event, kind="participation")
    assert len(chosen) == 4 + 4  # welding's four, and the two pairs' members; cooking unpublished
    assert all("参赛证书" in page for page in pages)
    assert "王五" in "".join(pages)


def test_numbers_are_stable_and_issue_is_idempotent(competition):
    first = certificates.issue(competition.event)
    assert (first.issued, first.kept, first.revoked) == (10, 0, 0)
    numbers = [c.number for c in certs()]
    again = certificates.issue(competition.event)
    assert (again.issued, again.kept, again.revoked) == (0, 10, 0)
    assert [c.number for c in certs()] == numbers
    # Publishing another trade adds its certificates without renumbering the others.
    # (the cooking trade is signed off already)
    results.publish(competition.cooking.trade, None)
    third = certificates.issue(competition.event)
    assert third.issued == 3 and [c.number for c in certs()][:10] == numbers
    assert len({c.number for c in certs()}) == 13


def test_amendment_revokes_changed_awards_and_reissues_with_new_numbers(competition):
    certificates.issue(competition.event)
    before = {(c.name, c.kind): c.number for c in certs(trade_id=competition.welding.trade.id)}
    # 王五 (fourth) is corrected to 99: gold and the title; everyone else moves down one.
    set_marks(competition.welding.trade, competition.welding.entrants[3], 59, 40)
    # The amendment itself revokes and reissues, in its own transaction: nobody has to print.
    publishing.amend(competition.welding.trade, None, "王五成绩复核更正")
    db.session.expire_all()
    assert len([c for c in certs() if not c.is_valid]) == 4
    assert len(certs(trade_id=competition.welding.trade.id)) == 4 + 4

    by_number = {c.number: c for c in certs()}
    gold = by_number[before[("张三丰", "award")]]
    assert not gold.is_valid and gold.revoked_reason == "王五成绩复核更正"
    assert gold.replaced_by.award_zh == "银牌" and gold.replaced_by.number not in before.values()
    title = by_number[before[("张三丰", "title")]]
    assert not title.is_valid and title.replaced_by is None  # the title is lost, not replaced
    bronze = by_number[before[("李四", "award")]]
    assert not bronze.is_valid and bronze.replaced_by is None  # fourth now: no award
    valid = {(c.name, c.kind, c.award_zh) for c in certs() if c.is_valid
             and c.trade_id == competition.welding.trade.id}
    assert valid == {("王五", "award", "金牌"), ("王五", "title", "河南省技术能手"),
                     ("张三丰", "award", "银牌"), ("=1+1", "award", "铜牌")}
    assert certificates.verify(gold.number).state == "revoked"
    assert certificates.verify(gold.number).replacement.number == gold.replaced_by.number
    assert certificates.verify(gold.replaced_by.number).state == "valid"
    assert certificates.issue(competition.welding.trade).issued == 0  # idempotent


def test_names_the_font_lacks_are_reported_before_printing(competition, client, login):
    rare = db.session.scalar(sa.select(Contestant).where(Contestant.name == "李四"))
    rare.name = "吉𠮷"
    db.session.commit()
    set_marks(competition.welding.trade, competition.welding.entrants[2], 40, 30)
    publishing.amend(competition.welding.trade, None, "姓名更正")
    with pytest.raises(certificates.GlyphsMissing) as refused:
        certificates.prepare(competition.event, None, kind="award", base_url=BASE)
    assert [(p.name, p.chars, p.trade) for p in refused.value.problems] == [("吉𠮷", "𠮷", "焊接")]

    login(competition.organizer)
    url = f"/manage/events/{competition.event.code}/exports"
    response = client.post(url + "/certificates/generate", data={"kind": "award", "format": "pdf"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "吉𠮷" in page and "𠮷" in page and db.session.query(ExportJob).count() == 0
    assert "吉𠮷" in client.get(url + "/certificates/glyphs").get_data(as_text=True)


def test_verification_url_uses_public_base_url_or_the_request_host(competition, app, client,
                                                                   login, monkeypatch):
    certificates.issue(competition.event)
    cert = certs()[0]
    data = certificates.printed(competition.event, [cert],
                                certificates.settings_for(competition.event), BASE + "/")
    assert data[0].verify_url == f"{BASE}/verify/{cert.number}"
    login(competition.organizer)
    url = f"/manage/events/{competition.event.code}/exports/certificates/generate"
    client.post(url, data={"trade": "T01", "kind": "award", "format": "pdf"})
    assert db.session.scalar(sa.select(ExportJob)).params["base_url"] == "http://localhost/"
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://verify.example.org")
    client.post(url, data={"trade": "T01", "kind": "award", "format": "pdf"})
    jobs = db.session.scalars(sa.select(ExportJob).order_by(ExportJob.id)).all()
    assert jobs[-1].params["base_url"] == "https://verify.example.org"


def test_settings_and_image_uploads(competition, client, login, upload):
    login(competition.organizer)
    url = f"/manage/events/{competition.event.code}/exports/certificates/settings"
    assert client.get(url).status_code == 200
    form = {"layout": "modern", "language": "zh_en", "organizer_text": "大赛组委会",
            "date_text": "二〇二六年十一月"}
    response = upload(url, b"GIF89a not really an image", filename="seal.png", field="seal_upload", **form)
    assert response.status_code == 422
    assert certificates.settings_for(competition.event).id is None  # nothing saved
    gif = io.BytesIO()
    from PIL import Image
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    assert upload(url, gif.getvalue(), filename="seal.png", field="seal_upload",
                  **form).status_code == 422
    response = upload(url, png(), filename="../../etc/passwd", field="seal_upload", **form)
    assert response.status_code == 302
    settings = certificates.settings_for(competition.event)
    assert (settings.layout, settings.language, settings.seal_type) == ("modern", "zh_en",
                                                                         "image/png")
    response = client.get(url + "/seal")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert client.get(url + "/background").status_code == 404
    assert upload(url, png(kind="JPEG"), filename="bg", field="background_upload",
                  **form).status_code == 302
    assert certificates.settings_for(competition.event).background_type == "image/jpeg"
    sample = client.get(url + "/sample.pdf")
    assert sample.status_code == 200 and sample.mimetype == "application/pdf"
    text = pdf_pages(sample.data)[0]
    assert "大赛组委会" in text and "Certificate of Award" in text
    with pytest.raises(Invalid):
        certificates.check_image(png(9000, 5000), "background")


def test_batch_job_runs_to_done_and_downloads_pdf_and_zip(competition, client, login):
    login(competition.organizer)
    base = f"/manage/events/{competition.event.code}/exports"
    response = client.post(base + "/certificates/generate", data={"kind": "award",
                                                                    "format": "pdf"})
    assert response.status_code == 302
    job = db.session.scalar(sa.select(ExportJob))
    assert response.headers["Location"].endswith(f"/exports/jobs/{job.id}")
    assert client.get(response.headers["Location"]).status_code == 200
    state = client.get(f"{base}/jobs/{job.id}/progress").get_json()
    assert (state["status"], state["done"], state["total"]) == ("done", 7, 7)
    pdf = client.get(state["download"])
    pdf.close()
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert "HN2026-certificates-award.pdf" in pdf.headers["Content-Disposition"]
    assert len(pdf_pages(download(client, state["download"]))) == 7

    client.post(base + "/certificates/generate", data={"trade": "T02", "format": "zip"})
    job = db.session.scalars(sa.select(ExportJob).order_by(ExportJob.id.desc())).first()
    archive = zipfile.ZipFile(io.BytesIO(download(client, f"{base}/jobs/{job.id}/download")))
    names = archive.namelist()
    assert len(names) == 4 and all(n.startswith("T02/") and n.endswith(".pdf") for n in names)
    per_person = [len(pdf_pages(archive.read(n))) for n in names]
    assert per_person == [2, 2, 1, 1]  # the winners' award and title; the runners-up's award


def test_batch_job_in_a_background_thread(competition, app, client, login, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_JOBS_SYNC", False)
    enable_participation(competition.event)
    login(competition.organizer)
    base = f"/manage/events/{competition.event.code}/exports"
    response = client.post(base + "/certificates/generate", data={"format": "pdf"})
    assert response.status_code == 302
    job_id = db.session.scalar(sa.select(ExportJob.id))
    deadline = time.monotonic() + 30
    while True:
        state = client.get(f"{base}/jobs/{job_id}/progress").get_json()
        if state["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert state["status"] == "done", state
    assert state["done"] == state["total"] == 18
    assert len(pdf_pages(download(client, state["download"]))) == 18


def test_failed_job_records_its_error(competition, monkeypatch):
    certificates.issue(competition.event)
    job = ExportJob(event_id=competition.event.id, params={"trade_id": None,
                    "delegation_id": None, "kind": None, "format": "pdf", "base_url": BASE},
                    total=1)
    db.session.add(job)
    db.session.commit()

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr("competition.services.certificates.jobs.write_batch", broken)
    certificates.run_job(job.id)
    db.session.expire_all()
    assert job.status == JobStatus.FAILED and "disk full" in job.error


def test_certificate_list_and_search(competition, client, login):
    certificates.issue(competition.event)
    login(competition.organizer)
    url = f"/manage/events/{competition.event.code}/exports/certificates"
    page = client.get(url).get_data(as_text=True)
    assert "HN2026-0001-0001" in page and "张三丰" in page
    page = client.get(url + "?q=李四").get_data(as_text=True)
    assert "李四" in page and "张三丰" not in page
    page = client.get(url + "?status=revoked").get_data(as_text=True)
    assert "HN2026-0001-0001" not in page
    response = client.post(url.replace("/certificates", "/certificates/issue"))
    assert response.status_code == 302


def download(client, url: str) -> bytes:
    """GET a file the app sends from disk, closing the response (and the file) at once."""
    response = client.get(url)
    try:
        assert response.status_code == 200, url
        return response.data
    finally:
        response.close()


def test_access_control(competition, client, login, make_user, make_event):
    base = f"/manage/events/{competition.event.code}/exports"
    pages = [base, base + "/certificates", base + "/certificates/settings",
             base + "/certificates/glyphs"]
    for url in pages:
        assert client.get(url).status_code == 302, url  # anonymous: log in first
    assert client.post(base + "/certificates/generate", data={}).status_code == 302
    for user in (make_user(Role.JUDGE, competition.event),
                 make_user(Role.CHIEF_JUDGE, competition.event),
                 make_user(Role.ORGANIZER, make_event())):
        login(user)
        for url in pages:
            assert client.get(url).status_code == 403, (user.role, url)
        assert client.post(base + "/certificates/generate",
                           data={"format": "pdf"}).status_code == 403
    login(make_user(Role.SUPERVISOR, competition.event))
    assert client.get(base + "/certificates").status_code == 200
    assert client.get(base + "/certificates/settings").status_code == 403
    assert client.post(base + "/certificates/generate", data={"format": "pdf"}).status_code == 403
    with pytest.raises(NotAllowed):
        certificates.issue(competition.event, make_user(Role.ORGANIZER, make_event()))


def test_cli_prints_a_batch_with_progress(competition, runner, tmp_path):
    out = tmp_path / "awards.pdf"
    args = ["certificates", "--event", "HN2026", "--kind", "award", "-o", str(out)]
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and "PUBLIC_BASE_URL" in result.output
    result = runner.invoke(args=[*args, "--base-url", BASE])
    assert result.exit_code == 0, result.output
    assert "7/7" in result.output and len(pdf_pages(out.read_bytes())) == 7
    out = tmp_path / "t01.zip"
    result = runner.invoke(args=["certificates", "--event", "HN2026", "--trade", "T01",
                                 "--delegation", "AT", "-o", str(out), "--base-url", BASE])
    assert result.exit_code == 0, result.output
    assert len(zipfile.ZipFile(out).namelist()) == 1  # "=1+1", the only one of AT awarded
    result = runner.invoke(args=["certificates", "--event", "HN2026", "--kind", "participation",
                                 "-o", str(tmp_path / "p.pdf"), "--base-url", BASE])
    assert result.exit_code != 0


def test_certificates_survive_a_deleted_registration(competition):
    certificates.issue(competition.event)
    kinds = {c.kind for c in certs()}
    assert kinds == {CertificateKind.AWARD, CertificateKind.TITLE}
    number = certs()[0].number
    assert certificates.verify(number).certificate.name == "张三丰"
