"""Back up one event to a file and restore it into an empty database, nothing lost.

The dump is generic over the schema, so a table added later is backed up without touching this
module: starting from the event's row, every table (in foreign-key order) contributes the rows
that reference a row already taken. Values are written as JSON lines, gzip-compressed, with the
schema revision in the header; a restore refuses a file made for another schema. A reference to a
row outside the event (say an administrator named in the audit log) is kept only if that row
exists in the target database, else it is cleared when the column allows it.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

import sqlalchemy as sa
from alembic.migration import MigrationContext

from competition.extensions import db
from competition.models import Event
from competition.services.errors import committing

FORMAT = "competition-backup/1"


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


def dump(event: Event, out: IO[bytes]) -> dict[str, int]:
    """Write the event's backup to ``out``; returns the number of rows per table."""
    counts: dict[str, int] = {}
    with gzip.GzipFile(fileobj=out, mode="wb") as stream:
        header = {"format": FORMAT, "event": event.code,
                  "revision": schema_revision(db.session.connection()),
                  "made_at": datetime.now().isoformat()}
        stream.write((json.dumps(header) + "\n").encode())
        for name, row in _event_rows(event.id):
            counts[name] = counts.get(name, 0) + 1
            line = {"t": name, "r": {k: _encode(v) for k, v in row.items()}}
            stream.write((json.dumps(line, ensure_ascii=False) + "\n").encode())
    return counts


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
