"""Export commands: the results workbook and batches of certificates."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from competition.cli.common import delegation_by_code, event_by_code, refusal_text, trade_by_code
from competition.domain.certificates import CertificateKind
from competition.services import certificates, results
from competition.services.errors import Invalid, NotAllowed


@click.command("export-results")
@click.option("--event", "event_code", required=True, help="Event code.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Workbook to write, e.g. HN2026-results.xlsx")
@click.option("--delegation", "delegation_code", help="Only this delegation's results.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the headers and labels.")
@with_appcontext
def export_results(event_code: str, output: Path, delegation_code: str | None, lang: str) -> None:
    """Write the results workbook: summary, medal table and a sheet per trade (published
    results, else provisional ones, marked as such)."""
    event = event_by_code(event_code)
    if delegation_code:
        data = results.delegation_workbook(event, delegation_by_code(event, delegation_code),
                                                    lang)
    else:
        data = results.event_workbook(event, lang)
    output.write_bytes(data)
    click.echo(f"Wrote {output} ({len(data) // 1024} KB).")


@click.command("certificates")
@click.option("--event", "event_code", required=True, help="Event code.")
@click.option("--trade", "trade_code", help="Only this trade.")
@click.option("--delegation", "delegation_code", help="Only this delegation.")
@click.option("--kind", type=click.Choice([k.value for k in CertificateKind]),
              help="Only this kind (default: every kind).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="FILE.pdf (one PDF) or FILE.zip (one PDF per person).")
@click.option("--base-url", help="Public address the QR codes point at (default PUBLIC_BASE_URL).")
@with_appcontext
def certificates_command(event_code: str, trade_code: str | None, delegation_code: str | None,
                         kind: str | None, output: Path, base_url: str | None) -> None:
    """Issue certificates from the published results and print a batch, with progress."""
    event = event_by_code(event_code)
    fmt = output.suffix.lower().lstrip(".")
    if fmt not in certificates.FORMATS:
        raise click.ClickException("The output must end in .pdf or .zip.")
    base_url = base_url or current_app.config.get("PUBLIC_BASE_URL")
    if not base_url:
        raise click.ClickException("Give --base-url https://… or set PUBLIC_BASE_URL: the QR "
                                   "codes must point at the public verification page.")
    trade = trade_by_code(event, trade_code) if trade_code else None
    delegation = delegation_by_code(event, delegation_code) if delegation_code else None
    try:
        certs, data, settings = certificates.prepare(event, None, trade=trade,
                                                     delegation=delegation, kind=kind,
                                                     base_url=base_url)
    except certificates.GlyphsMissing as missing:
        for p in missing.problems:
            click.echo(f"  {p.number}  {p.name}  {p.delegation}  {p.trade}: {p.chars}", err=True)
        raise click.ClickException(
            f"{len(missing.problems)} certificates name characters the font lacks; nothing "
            "was printed.") from None
    except (Invalid, NotAllowed) as refusal:
        raise click.ClickException(refusal_text(refusal)) from None
    total = len(data)
    step, shown = max(1, total // 20), [0]
    click.echo(f"Printing {total} certificates to {output} …")

    def progress(done: int) -> None:
        if done - shown[0] >= step or done == total:
            shown[0] = done
            click.echo(f"  {done}/{total}")

    with output.open("wb") as out:
        pages = certificates.write_batch(certs, data, fmt, settings, out, progress)
    click.echo(f"Wrote {pages} certificates to {output}.")


COMMANDS = [export_results, certificates_command]
