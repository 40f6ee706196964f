"""Every import meets 200+ malformed uploads: each is refused with a clear message, none
crashes, memory stays bounded (the marked-up copy of a refused file included) and nothing is
saved."""

from __future__ import annotations

import tracemalloc

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Contestant, Criterion, Trade, User
from competition.services import imports
from tests.app.upload_corpus import all_entries, file_level

IMPORTS = ("contestants", "trades", "judges")
MEMORY_LIMIT = 256 * 1024 * 1024
# Measuring memory slows everything down; it is measured on the entries built to exhaust it.
HEAVY = ("bomb", "60k", "16384", "1,000,000", "wide", "huge", "3000 members", "10_000")


def counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Contestant, Trade, Criterion, User))


@pytest.fixture
def event(make_event, make_delegation, make_trade):
    event = make_event(code="HN")
    make_delegation(event, code="ZZ", name_zh="郑州市")
    make_trade(event, code="T01")
    return event


def test_the_corpus_is_large_enough():
    assert len(all_entries()) >= 200
    assert len({name for name, _ in all_entries()}) == len(all_entries())
    assert len(file_level()) >= 100


@pytest.mark.parametrize("kind", sorted(IMPORTS))
def test_every_malformed_upload_is_refused_cleanly(event, kind):
    """Contestants meet the whole corpus; trades and judges every file broken as a file (the
    row-level entries are contestant rows, which those imports rightly read differently)."""
    def run(event, data):
        return imports.run(kind, event, data)
    before = counts()
    failures = []
    for name, data in all_entries() if kind == "contestants" else file_level():
        heavy = any(word in name for word in HEAVY)
        if heavy:
            tracemalloc.start()
        try:
            report = run(event, data)
            # What the page offers for a refused file: the workbook with the problems marked.
            report.annotated_base64(str)
        except Exception as error:  # the point of the test: nothing may escape
            failures.append(f"{name}: raised {error!r}")
            continue
        finally:
            peak = tracemalloc.get_traced_memory()[1] if heavy else 0
            if heavy:
                tracemalloc.stop()
        db.session.rollback()
        if report.ok:
            failures.append(f"{name}: accepted")
        elif not all(p.problem.render() for p in report.problems):
            failures.append(f"{name}: a problem without a message")
        if peak > MEMORY_LIMIT:
            failures.append(f"{name}: used {peak / 1e6:.0f} MB")
    assert failures == []
    assert counts() == before


def test_malformed_uploads_through_the_pages_never_give_500(event, upload, login, make_user):
    from competition.models import Role
    login(make_user(Role.ORGANIZER, event))
    urls = ["/manage/events/HN/contestants/import", "/manage/events/HN/import/trades",
            "/manage/events/HN/import/judges"]
    for name, data in file_level()[::5]:
        for url in urls:
            response = upload(url, data, f"{name}.xlsx")
            assert response.status_code in (413, 422), (name, url, response.status_code)
