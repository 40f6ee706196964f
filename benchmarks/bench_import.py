"""How long the seed competition's 2,221 contestants take to import from Excel, beside openpyxl's
own read of the same file.

    .venv/bin/python benchmarks/bench_import.py

Builds the seed demo event (70 trades, 19 delegations, 1,091 judges) in a throwaway SQLite
database, keeps its 2,221 contestants as a delegation's workbook would list them, removes them
from the database, then times:

  (a) openpyxl reading the workbook (read_only=True, every row iterated) — the floor;
  (b) the contestant import (``imports.run``) of the workbook: 2,221 people checked and registered;
  (c) the same file imported again: 2,221 people found unchanged, nobody added.

With ``DATABASE_URL=postgresql://…`` the run uses that server instead, inside a schema of its
own that is dropped at the end (nothing else in the database is touched).
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402
from sqlalchemy.orm import selectinload  # noqa: E402

from competition import create_app  # noqa: E402
from competition.config import database_url  # noqa: E402
from competition.extensions import db  # noqa: E402
from competition.models import Contestant, Entrant, Event, Trade  # noqa: E402
from competition.services import (
    demo,  # noqa: E402
    imports,  # noqa: E402
)

SECRET = "a-benchmark-secret-key-of-at-least-32-bytes"  # a served app refuses shorter keys

CODE = "BENCH"
ID_TYPE = "居民身份证"


def make_app(url: str, schema: str | None):
    config = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET, "TESTING": True}
    if schema:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={schema}"}}
    return create_app(config)


def contestant_rows(event: Event) -> list[list]:
    """The event's contestants as rows of the import template (Chinese headers)."""
    people = db.session.scalars(
        sa.select(Contestant).where(Contestant.event_id == event.id)
        .options(selectinload(Contestant.trade), selectinload(Contestant.delegation),
                 selectinload(Contestant.entrant))
        .order_by(Contestant.delegation_id, Contestant.trade_id, Contestant.id)).all()
    return [[c.delegation.name_zh, c.trade.code, c.name, "男" if c.gender == "M" else "女", ID_TYPE,
             c.id_number, c.birth_date, c.employer, c.phone, c.entrant.team_name or "", ""]
            for c in people]


def workbook(rows: list[list]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("选手 Contestants")
    sheet.append([column.headers[0] for column in imports.IMPORTERS["contestants"].columns])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def remove_contestants(event: Event) -> None:
    trade_ids = sa.select(Trade.id).where(Trade.event_id == event.id)
    db.session.execute(sa.delete(Contestant).where(Contestant.event_id == event.id))
    db.session.execute(sa.delete(Entrant).where(Entrant.trade_id.in_(trade_ids)))
    db.session.commit()


def openpyxl_read(data: bytes) -> int:
    book = load_workbook(BytesIO(data), read_only=True)
    try:
        return sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def timed(step: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def run(url: str, schema: str | None) -> None:
    app = make_app(url, schema)
    with app.app_context():
        db.create_all()
        seconds, _ = timed(lambda: demo.build("seed", CODE, run=False))
        event = db.session.scalar(sa.select(Event).where(Event.code == CODE))
        rows = contestant_rows(event)
        data = workbook(rows)
        remove_contestants(event)
        print(f"database: {db.engine.dialect.name}; seed demo built in {seconds:.1f} s; "
              f"workbook: {len(rows):,} rows, {len(data) / 1024:.0f} KiB")

        read = min(timed(lambda: openpyxl_read(data))[0] for _ in range(3))
        first_time, first = timed(lambda: imports.run("contestants", event, data))
        assert first.ok and first.created == len(rows), first.lines(str)[:5]
        again_time, again = timed(lambda: imports.run("contestants", event, data))
        assert again.ok and (again.created, again.unchanged) == (0, len(rows)), again.summary(str)
        count = db.session.scalar(sa.select(sa.func.count(Contestant.id))
                                  .where(Contestant.event_id == event.id))
        assert count == len(rows), count

        print()
        print(f"{'step':<44}{'seconds':>9}{'× openpyxl':>12}")
        for label, value in (
            ("(a) openpyxl read, read_only, all rows", read),
            (f"(b) contestant import: {first.created:,} new", first_time),
            (f"(c) re-import: {again.unchanged:,} unchanged", again_time),
        ):
            print(f"{label:<44}{value:>9.2f}{value / read:>12.1f}")
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        with tempfile.TemporaryDirectory() as folder:
            run(f"sqlite:///{Path(folder) / 'bench.sqlite'}", None)
        return
    url = database_url()
    schema = f"bench_import_{secrets.token_hex(4)}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        run(url, schema)
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


if __name__ == "__main__":
    main()
