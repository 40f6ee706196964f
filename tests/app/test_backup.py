"""Backup and restore: an event dumped to a file comes back identical in an empty database."""

import gzip
import io
import json

import pytest
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Event
from competition.services import backup, demo
from tests.app.support import empty_all_tables


def snapshot() -> dict[str, list]:
    """Every row of every table, as comparable text, sorted (read in its own transaction, which
    ends before the test goes on: an open one would block emptying the tables on PostgreSQL)."""
    with db.engine.connect() as connection:
        return {table.name: sorted(repr(tuple(backup._encode(v) for v in row))
                                   for row in connection.execute(sa.select(table)))
                for table in db.metadata.sorted_tables}


def test_round_trip_restores_every_row(app):
    """With its secrets (password hashes), which stay out unless asked for: see
    test_trust_accounts_privacy.py."""
    demo.build("small")
    before = snapshot()
    assert len(before["contestant"]) == 69
    out = io.BytesIO()
    counts = backup.dump(db.session.scalar(sa.select(Event)), out, with_secrets=True)
    assert counts["contestant"] == 69
    db.session.rollback()
    empty_all_tables()
    db.session.expire_all()
    assert snapshot()["contestant"] == []
    restored = backup.restore(io.BytesIO(out.getvalue()))
    assert restored == counts
    assert snapshot() == before
    # new rows still get fresh ids after a restore (PostgreSQL sequences moved on)
    demo.build("small", code="OTHER")


def test_only_the_chosen_event_is_dumped(app):
    demo.build("small")
    demo.build("small", code="SECOND")
    out = io.BytesIO()
    first = db.session.scalar(sa.select(Event).where(Event.code == "DEMO2026"))
    counts = backup.dump(first, out)
    assert counts["event"] == 1 and counts["contestant"] == 69
    lines = gzip.decompress(out.getvalue()).decode().splitlines()
    assert json.loads(lines[0])["event"] == "DEMO2026"
    assert all('"SECOND"' not in line for line in lines)


def test_restore_refuses_an_existing_event_and_changes_nothing(app):
    demo.build("small")
    out = io.BytesIO()
    backup.dump(db.session.scalar(sa.select(Event)), out)
    before = snapshot()
    with pytest.raises(backup.BackupError, match="exists already"):
        backup.restore(io.BytesIO(out.getvalue()))
    assert snapshot() == before


@pytest.mark.parametrize("content", [b"", b"not gzip at all",
                                     gzip.compress(b'{"format": "other"}\n', mtime=0)],
                         ids=["empty", "not-gzip", "other-format"])
def test_restore_refuses_files_that_are_not_backups(app, content):
    with pytest.raises(backup.BackupError):
        backup.restore(io.BytesIO(content))
    assert db.session.scalar(sa.select(sa.func.count(Event.id))) == 0


def test_backup_and_restore_commands(app, runner, tmp_path):
    demo.build("small")
    path = tmp_path / "demo.backup.gz"
    result = runner.invoke(args=["backup", "--event", "DEMO2026", "-o", str(path)])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    empty_all_tables()
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    assert db.session.scalar(sa.select(Event.code)) == "DEMO2026"
