"""Back up one event to a file and restore it into an empty database, nothing lost.

The dump is generic over the schema, so a table added later is backed up without touching this
module: starting from the event's row, every table (in foreign-key order) contributes the rows
that reference a row already taken. Values are written as JSON lines, gzip-compressed, with the
schema revision in the header; a restore refuses a file made for another schema. A reference to a
row outside the event (say an administrator named in the audit log) is kept only if that row
exists in the target database, else it is cleared when the column allows it.

A backup holds ID numbers and phones: its file is written readable by its owner only (0600).
Password hashes go in only when asked (``with_secrets``, for a copy that stays on the server):
without them every account of the restored event has a password that matches nothing and must
be given a new one (``reset-password``, or an administrator's "Make a new password"), which its
holder then changes at the first login.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from alembic.migration import MigrationContext

from competition.extensions import db
from competition.models import Event
from competition.services.errors import committing

FORMAT = "competition-backup/1"
# A password hash that matches no password (werkzeug reads it as no hash at all).
NO_PASSWORD = "!left-out-of-the-backup"


class BackupError(Exception):
    pass


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        (kind, raw), = value.items()
        if kind == "$decimal":
            return Decimal(raw)
        if kind == "$datetime":
            return datetime.fromisoformat(raw)
        if kind == "$date":
            return date.fromisoformat(raw)
        if kind == "$bytes":
            return base64.b64decode(raw)
    return value


def schema_revision(connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _event_rows(event_id: int) -> Iterator[tuple[str, dict]]:
    """(table name, row) for every row that belongs to the event, parents before children."""
    taken: dict[str, set] = {}
    connection = db.session.connection()
    for table in db.metadata.sorted_tables:
        if table.name == "event":
            query = sa.select(table).where(table.c.id == event_id)
        else:
            conditions = [fk.parent.in_(taken[fk.column.table.name])
                          for fk in table.foreign_keys
                          if fk.column.table.name in taken and taken[fk.column.table.name]]
            if not conditions:
                continue
            query = sa.select(table).where(sa.or_(*conditions))
        keys = set()
        primary = list(table.primary_key.columns)
        for row in connection.execute(query.order_by(*primary)).mappings():
            if len(primary) == 1:
                keys.add(row[primary[0].name])
            yield table.name, dict(row)
        taken[table.name] = keys


def _without_secrets(name: str, row: dict) -> dict:
    if name == "user":
        return {**row, "password_hash": NO_PASSWORD, "must_change_password": True}
    return row


def dump(event: Event, out: IO[bytes], with_secrets: bool = False) -> dict[str, int]:
    """Write the event's backup to ``out``; returns the number of rows per table. Password
    hashes are left out unless ``with_secrets``."""
    counts: dict[str, int] = {}
    with gzip.GzipFile(fileobj=out, mode="wb") as stream:
        header = {"format": FORMAT, "event": event.code,
                  "revision": schema_revision(db.session.connection()),
                  "made_at": datetime.now().isoformat(), "secrets": with_secrets}
        stream.write((json.dumps(header) + "\n").encode())
        for name, row in _event_rows(event.id):
            if not with_secrets:
                row = _without_secrets(name, row)
            counts[name] = counts.get(name, 0) + 1
            line = {"t": name, "r": {k: _encode(v) for k, v in row.items()}}
            stream.write((json.dumps(line, ensure_ascii=False) + "\n").encode())
    return counts


def write_file(event: Event, path: Path, with_secrets: bool = False) -> dict[str, int]:
    """:func:`dump` into a file readable by its owner only (0600, an existing file too)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        return dump(event, out, with_secrets)


def has_secrets(source: IO[bytes]) -> bool:
    """Whether a backup file holds password hashes (files made before this was asked hold
    them)."""
    with gzip.GzipFile(fileobj=source, mode="rb") as stream:
        try:
            return bool(json.loads(stream.readline()).get("secrets", True))
        except (ValueError, OSError, AttributeError) as error:
            raise BackupError("This is not a backup file.") from error


def restore(source: IO[bytes]) -> dict[str, int]:
    """Load a backup into this database, all or nothing; the event's code must not exist yet."""
    tables = db.metadata.tables
    counts: dict[str, int] = {}
    with gzip.GzipFile(fileobj=source, mode="rb") as stream:
        lines = iter(stream)
        try:
            header = json.loads(next(lines))
        except (StopIteration, ValueError, OSError) as error:
            raise BackupError("This is not a backup file.") from error
        if header.get("format") != FORMAT:
            raise BackupError("This is not a backup file of this application.")
        connection = db.session.connection()
        if header["revision"] != schema_revision(connection):
            raise BackupError(f"The backup was made with schema {header['revision']}; "
                              f"this database has {schema_revision(connection)}. Upgrade first.")
        if db.session.scalar(sa.select(Event.id).where(Event.code == header["event"])):
            raise BackupError(f"Event {header['event']} exists already in this database.")
        batch: list[dict] = []
        current = None
        with committing():
            for raw in lines:
                line = json.loads(raw)
                if line["t"] != current and batch:
                    _insert(tables[current], batch)
                    batch = []
                current = line["t"]
                if current not in tables:
                    raise BackupError(f"Unknown table {current}.")
                batch.append({k: _decode(v) for k, v in line["r"].items()})
                counts[current] = counts.get(current, 0) + 1
            if batch:
                _insert(tables[current], batch)
            _reset_sequences(connection)
    return counts


def _insert(table: sa.Table, rows: list[dict]) -> None:
    connection = db.session.connection()
    for fk in table.foreign_keys:
        column = fk.parent
        wanted = {row[column.name] for row in rows if row.get(column.name) is not None}
        if not wanted:
            continue
        present = set(connection.scalars(sa.select(fk.column).where(fk.column.in_(wanted))))
        missing = wanted - present
        if missing and column.nullable:
            for row in rows:
                if row.get(column.name) in missing:
                    row[column.name] = None
    connection.execute(table.insert(), rows)


def _reset_sequences(connection) -> None:
    """PostgreSQL: move each id sequence past the restored ids."""
    if connection.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement:
            connection.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"))
