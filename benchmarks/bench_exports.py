"""Exports at the seed's size, each beside plain library code doing the same output with no
database work, measured in the same run.

    .venv/bin/python benchmarks/bench_exports.py

Builds the seed demo (70 trades, 19 delegations, 2,221 contestants) in a temporary SQLite file,
gives it demo marks, signs every trade off and publishes them all, switches participation
certificates on and issues every certificate. Then times:

(a) the results workbook (services.results.event_workbook: queries, formatting, the
    formula-safe writer) beside plain openpyxl write-only code appending the very same cell values
    (read back from our workbook beforehand) with no styles and no database;
(b) all participation certificates and (c) all award certificates (services.certificates: choose
    from the database, glyph check, render with the real layout) beside plain reportlab drawing
    the same number of A4 pages with the same text and a QR code as one vector path, embedded
    TrueType CJK font, no database.
"""

from __future__ import annotations

import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import segno  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from competition import create_app  # noqa: E402
from competition.certificates.fonts import register_fonts  # noqa: E402
from competition.extensions import db  # noqa: E402
from competition.models import Event, Trade, TradeStatus  # noqa: E402
from competition.services import certificates, demo, results  # noqa: E402

SECRET = "a-benchmark-secret-key-of-at-least-32-bytes"  # a served app refuses shorter keys

EVENT = "HN2026"
BASE_URL = "https://skills.example.cn"


def timed(work):
    start = time.perf_counter()
    value = work()
    return time.perf_counter() - start, value


def plain_workbook(sheets: list[tuple[str, list[tuple]]]) -> bytes:
    """The same cells with plain openpyxl (write-only, no styles, no escaping, no database)."""
    book = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plain_certificates(data, out) -> int:
    """The same pages with plain reportlab: every text of the certificate and a QR path."""
    font = register_fonts()
    width, height = landscape(A4)
    canvas = Canvas(out, pagesize=(width, height), pageCompression=1)
    for cert in data:
        canvas.setFont(font, 30)
        canvas.drawCentredString(width / 2, height - 110, cert.event_name)
        canvas.setFont(font, 16)
        canvas.drawString(120, height - 200, f"{cert.contestant_name} 同志：")
        canvas.drawString(150, height - 240, f"代表 {cert.delegation} 参加 {cert.event_name} "
                                             f"{cert.trade} 赛项比赛，荣获 {cert.award_text}。")
        canvas.drawString(width - 330, 150, cert.organizer)
        canvas.drawString(width - 330, 125, cert.date_text)
        canvas.drawString(120, 60, f"证书编号：{cert.number}")
        matrix = segno.make(cert.verify_url, error="m", micro=False).matrix
        size = 78 / len(matrix)
        path = canvas.beginPath()
        for y, row in enumerate(matrix):
            for x, dark in enumerate(row):
                if dark:
                    path.rect(62 + x * size, 140 - (y + 1) * size, size, size)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.showPage()
    canvas.save()
    return len(data)


def build(app) -> list[tuple]:
    notes = []
    with app.app_context():
        db.create_all()
        demo.build("seed", run=False)
        event = db.session.scalar(sa.select(Event).where(Event.code == EVENT))
        demo.add_scores(event, random.Random(1))
        db.session.execute(sa.update(Trade).where(Trade.event_id == event.id)
                           .values(status=TradeStatus.SIGNED_OFF))
        db.session.commit()
        outcome = results.publish_all(event, None)
        certificates.save_settings(event, None, layout="classic", language="zh",
                                   participation=True, organizer_text="", date_text="")
        took, report = timed(lambda: certificates.issue(event))
        notes.append(("issue all certificates (first time)", took, None,
                      f"{report.issued:,} certificates, {len(outcome.published)} trades"))
        took, again = timed(lambda: certificates.issue(event))
        notes.append(("issue again (nothing changed)", took, None, f"{again.kept:,} kept"))
    return notes


def measure(app) -> list[tuple]:
    rows = []
    with app.app_context():
        event = db.session.scalar(sa.select(Event).where(Event.code == EVENT))

        took, data = timed(lambda: results.event_workbook(event))
        book = load_workbook(io.BytesIO(data), read_only=True)
        sheets = [(s.title, [tuple(r) for r in s.iter_rows(values_only=True)])
                  for s in book.worksheets]
        book.close()
        cells = sum(len(r) for _, rs in sheets for r in rs)
        plain, _ = timed(lambda: plain_workbook(sheets))
        rows.append(("(a) results workbook", took, plain,
                     f"{len(sheets)} sheets, {sum(len(r) for _, r in sheets):,} rows, "
                     f"{cells:,} cells, {len(data) // 1024} KB"))

        for label, kind in (("(b) participation certificates", "participation"),
                            ("(c) award certificates", "award")):
            db.session.expire_all()

            def ours(kind=kind):
                certs, data, settings = certificates.prepare(event, None, kind=kind,
                                                             base_url=BASE_URL)
                with tempfile.TemporaryFile() as out:
                    pages = certificates.write_batch(certs, data, "pdf", settings, out)
                    return pages, out.tell(), data
            took, (pages, size, data) = timed(ours)
            with tempfile.TemporaryFile() as out:
                plain, _ = timed(lambda data=data, out=out: plain_certificates(data, out))
                plain_size = out.tell()
            rows.append((label, took, plain,
                         f"{pages:,} pages, {size // 1024:,} KB (plain {plain_size // 1024:,} KB)"))
    return rows


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        uri = f"sqlite:///{os.path.join(tmp, 'bench.sqlite')}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": SECRET,
                          "EXPORTS_DIR": tmp})
        print("Building the seed competition (marks, sign-off, publication) …", flush=True)
        notes = build(app)
        rows = measure(app)
        with app.app_context():
            db.engine.dispose()
    headers = ("task", "ours (s)", "plain (s)", "ratio", "notes")
    table = [(task, f"{ours:.2f}", "" if plain is None else f"{plain:.2f}",
              "" if plain is None else f"{ours / plain:.2f}×", note)
             for task, ours, plain, note in notes + rows]
    widths = [max(len(str(r[i])) for r in [headers, *table]) for i in range(len(headers))]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for row in table:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))


if __name__ == "__main__":
    main()
