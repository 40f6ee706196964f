"""Background jobs survive a dead worker (issue 13, finding 11): a job whose lease ran out is
failed and can be retried; a run that lost its lease changes nothing; the outcome of a job is
shown once; the command line lists and retries jobs."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import User
from competition.models.base import utcnow
from competition.models.jobs import Job, JobKind, JobStatus
from competition.services import certificates, jobs
from tests.app.support import page_text, pdf_pages

BASE_URL = "https://verify.example.org"


@pytest.fixture
def batch(app, competition, tmp_path, monkeypatch):
    """A competition with its certificates issued, batches written under ``tmp_path``."""
    monkeypatch.setitem(app.config, "EXPORTS_DIR", str(tmp_path))
    certificates.issue(competition.event)
    return competition


def batch_job(competition, **fields) -> Job:
    job = Job(event_id=competition.event.id, kind=JobKind.CERTIFICATES, total=7,
              created_by_id=competition.organizer.id, download_name="HN2026-award.pdf",
              params={"trade_id": None, "delegation_id": None, "kind": "award", "format": "pdf",
                      "base_url": BASE_URL}, **fields)
    db.session.add(job)
    db.session.commit()
    return job


def fresh(job: Job) -> Job:
    return db.session.get(Job, job.id, populate_existing=True)


def test_a_running_job_whose_lease_ran_out_is_failed_and_can_be_retried(batch, client, login):
    """The process printing the batch died: no heartbeat for longer than the lease. The next
    look at the job fails it (it no longer says "running 0/7" forever); Retry prints it."""
    lapsed = utcnow() - timedelta(seconds=jobs.LEASE_SECONDS + 5)
    job = batch_job(batch, status=JobStatus.RUNNING, attempts=1, started_at=lapsed,
                    heartbeat_at=lapsed)
    login(batch.organizer)
    client.post("/language", data={"lang": "en"})
    url = f"/manage/events/{batch.event.code}/exports/jobs/{job.id}"
    state = client.get(f"{url}/progress").get_json()
    assert state["status"] == "failed" and "stopped before it finished" in state["error"]
    page = page_text(client.get(url))
    assert "Failed" in page and "Retry" in page
    assert fresh(job).status == JobStatus.FAILED
    response = client.post(f"{url}/retry")
    assert response.status_code == 302
    job = fresh(job)
    assert (job.status, job.done, job.total, job.attempts) == (JobStatus.DONE, 7, 7, 2)
    download = client.get(f"{url}/download")
    data = download.get_data()
    download.close()
    assert download.status_code == 200 and len(pdf_pages(data)) == 7


def test_a_job_that_still_beats_is_left_running(batch):
    job = batch_job(batch, status=JobStatus.RUNNING, attempts=1, started_at=utcnow(),
                    heartbeat_at=utcnow() - timedelta(seconds=5))
    assert jobs.expire_lapsed() == 0
    assert fresh(job).status == JobStatus.RUNNING


def test_a_job_queued_on_redis_holds_no_lease_until_a_worker_takes_it(batch):
    job = batch_job(batch, status=JobStatus.QUEUED, created_at=utcnow() - timedelta(hours=2))
    assert jobs.expire_lapsed() == 0
    assert fresh(job).status == JobStatus.QUEUED


def test_only_a_failed_job_is_retried(batch, client, login):
    job = batch_job(batch, status=JobStatus.DONE)
    login(batch.organizer)
    client.post("/language", data={"lang": "en"})
    response = client.post(f"/manage/events/{batch.event.code}/exports/jobs/{job.id}/retry",
                           follow_redirects=True)
    assert "Only a job that failed can be retried" in page_text(response)
    assert fresh(job).status == JobStatus.DONE


def test_a_thread_job_beats_while_it_runs(batch, app, monkeypatch):
    """Without Redis a job runs in a thread of the web process, which renews its lease."""
    monkeypatch.setitem(app.config, "EXPORT_JOBS_SYNC", False)
    monkeypatch.setitem(app.config, "JOB_HEARTBEAT_SECONDS", 0.2)
    release = threading.Event()
    real = certificates.write_batch

    def slow(*args, **kwargs):
        release.wait(10)
        return real(*args, **kwargs)
    monkeypatch.setattr("competition.services.certificates.jobs.write_batch", slow)
    job = certificates.start_job(batch.event, batch.organizer, kind="award", base_url=BASE_URL)
    deadline = time.monotonic() + 10
    while fresh(job).status != JobStatus.RUNNING and time.monotonic() < deadline:
        time.sleep(0.05)
    started = fresh(job).heartbeat_at
    time.sleep(0.8)
    assert fresh(job).heartbeat_at > started
    release.set()
    while fresh(job).status == JobStatus.RUNNING and time.monotonic() < deadline + 20:
        time.sleep(0.05)
    assert fresh(job).status == JobStatus.DONE


def test_a_run_that_lost_its_lease_cannot_finish(batch, monkeypatch):
    """Failed meanwhile (its lease ran out, say), the run's work is not recorded as done."""
    job = batch_job(batch)
    real = certificates.write_batch

    def lose_the_lease(*args, **kwargs):
        with db.engine.begin() as connection:
            connection.execute(sa.update(Job).where(Job.id == job.id)
                               .values(status=JobStatus.FAILED, error="lease ran out"))
        return real(*args, **kwargs)
    monkeypatch.setattr("competition.services.certificates.jobs.write_batch", lose_the_lease)
    certificates.run_job(job.id)
    job = fresh(job)
    assert job.status == JobStatus.FAILED and job.error == "lease ran out" and not job.file_name


def test_the_command_line_lists_and_retries_jobs(batch, runner):
    job = batch_job(batch, status=JobStatus.FAILED, error="disk full", attempts=1)
    listed = runner.invoke(args=["jobs", "list"])
    assert listed.exit_code == 0 and f"{job.id}\t" in listed.output and "disk full" in listed.output
    retried = runner.invoke(args=["jobs", "retry", str(job.id)])
    assert retried.exit_code == 0, retried.output
    assert fresh(job).status == JobStatus.DONE
    again = runner.invoke(args=["jobs", "retry", str(job.id)])
    assert again.exit_code != 0 and "Only a job that failed" in again.output


def test_the_worker_command_needs_redis(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "")
    result = runner.invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL" in result.output


def test_secrets_are_sealed_with_the_apps_key(app, monkeypatch):
    token = jobs.seal([{"password": "Secret-123"}])
    assert "Secret-123" not in token and jobs.unseal(token) == [{"password": "Secret-123"}]
    monkeypatch.setitem(app.config, "SECRET_KEY", "another key of the app, 32 bytes long!")
    assert jobs.unseal(token) is None


def test_a_jobs_page_refreshes_itself_without_javascript(batch, client, login):
    job = batch_job(batch, status=JobStatus.QUEUED)
    login(batch.organizer)
    html = client.get(f"/manage/events/{batch.event.code}/exports/jobs/{job.id}").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh"' in html
    db.session.execute(sa.update(Job).where(Job.id == job.id).values(status=JobStatus.DONE))
    db.session.commit()
    html = client.get(f"/manage/events/{batch.event.code}/exports/jobs/{job.id}").get_data(as_text=True)
    assert "http-equiv" not in html


def test_another_events_organizer_cannot_see_or_retry_a_job(batch, client, login, make_event,
                                                            make_user):
    from competition.models import Role
    job = batch_job(batch, status=JobStatus.FAILED)
    other = make_event()
    login(make_user(Role.ORGANIZER, other))
    base = f"/manage/events/{batch.event.code}/exports/jobs/{job.id}"
    assert client.get(base).status_code == 403
    assert client.post(f"{base}/retry").status_code == 403
    assert client.get(f"/manage/events/{other.code}/exports/jobs/{job.id}").status_code == 404
    assert fresh(job).status == JobStatus.FAILED
    assert db.session.get(User, batch.organizer.id) is not None
