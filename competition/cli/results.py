"""Results commands: publish a trade or the whole event, print results and the medal table."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import click
from flask.cli import with_appcontext

from competition.cli.common import event_by_code, refusal_text, trade_by_code
from competition.domain import labels
from competition.domain.numbers import format_score
from competition.models import Trade
from competition.services import publishing, results
from competition.services.errors import Invalid, NotAllowed


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]],
                 right: Sequence[int] = ()) -> str:
    """An aligned text table; columns listed in ``right`` are right-aligned (numbers)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        out = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            out.append(pad + cell if i in right else cell + pad)
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(cells[0]), rule] + [line(r) for r in cells[1:]])


@click.command("publish")
@click.option("--event", "event_code", required=True, help="Event code.")
@click.option("--trade", "trade_code", help="Trade code (default: every signed-off trade).")
@with_appcontext
def publish_command(event_code: str, trade_code: str | None) -> None:
    """Publish a signed-off trade's results, or those of every signed-off trade of the event."""
    event = event_by_code(event_code)
    if trade_code:
        trade = trade_by_code(event, trade_code)
        try:
            version = publishing.publish(trade, None)
        except (Invalid, NotAllowed) as refusal:
            raise click.ClickException(refusal_text(refusal)) from None
        click.echo(f"Published {trade.code} (version {version.number}).")
    else:
        outcome = publishing.publish_all(event, None)
        for trade, problem in outcome.skipped:
            click.echo(f"not published {trade.code}: {problem.render()}", err=True)
        click.echo(f"Published {len(outcome.published)} trades; {len(outcome.skipped)} not published.")
    if event.results_embargoed:
        click.echo("The event's results are under embargo: nothing is public until released.")


def _results_table(trade: Trade) -> str:
    provisional = results.compute(trade)
    rows = [(line.place or "-", line.number, line.name, line.delegation_name_zh,
             *(format_score(line.criteria.get(c.id)) for c in provisional.criteria),
             format_score(line.total),
             labels.award_text(line.tier, line.excellence, (t.zh for t in line.titles),
                               provisional.labels, lambda s: s),
             labels.status_text(line.status, lambda s: s) or ("" if line.complete
                                                              else "marks missing"))
            for line in provisional.lines]
    n = len(provisional.criteria)
    headers = ["Place", "Number", "Name", "Delegation", *(c.code for c in provisional.criteria),
               "Total", "Award", "Status"]
    return format_table(headers, rows, right=(0, *range(4, 5 + n)))


@click.command("results")
@click.option("--event", "event_code", required=True, help="Event code.")
@click.option("--trade", "trade_code", help="Trade code: its provisional results.")
@with_appcontext
def results_command(event_code: str, trade_code: str | None) -> None:
    """Print a trade's provisional results, or the event's trades and its medal table."""
    event = event_by_code(event_code)
    if trade_code:
        trade = trade_by_code(event, trade_code)
        state = results.trade_states(event, [trade])[0]
        published = f"published, version {state.versions}" if state.published else "not published"
        click.echo(f"{trade.code} {trade.name_zh} — {trade.status.value}, {published}")
        click.echo(_results_table(trade))
        return
    click.echo(format_table(
        ["Trade", "Name", "Scoring", "Results"],
        [(s.trade.code, s.trade.name_zh + (" (demonstration)" if s.trade.is_demonstration else ""),
          s.trade.status.value,
          f"version {s.versions}" if s.published else "provisional")
         for s in results.trade_states(event)]))
    click.echo("")
    click.echo("Medal table" + (" (under embargo)" if event.results_embargoed else ""))
    click.echo(format_table(
        ["Rank", "Delegation", "Gold", "Silver", "Bronze", "Excellence", "Total", "Points"],
        [(r.rank, r.name_zh, r.gold, r.silver, r.bronze, r.excellence, r.total, r.points)
         for r in results.medal_table(event)], right=(0, 2, 3, 4, 5, 6, 7)))


COMMANDS = [publish_command, results_command]
