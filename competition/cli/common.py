"""What every command shares: finding an event, a trade or a delegation by code, and printing
an import's report or a refusal."""

from __future__ import annotations

import click
import sqlalchemy as sa

from competition.extensions import db
from competition.models import Delegation, Event, Trade
from competition.services.errors import Invalid, NotAllowed
from competition.services.setup import find_trade


def report_import(report) -> None:
    """Print an import's row report (problems to stderr) and fail the command if it failed."""
    for row, column, reason in report.lines(lambda s: s):
        click.echo(f"row {row or '-'}\t{column}\t{reason}", err=True)
    click.echo(report.summary(lambda s: s))
    if not report.ok:
        raise SystemExit(1)


def event_by_code(code: str) -> Event:
    event = db.session.scalar(sa.select(Event).where(Event.code == code))
    if event is None:
        raise click.ClickException(f"No event with code {code}.")
    return event


def trade_by_code(event: Event, code: str) -> Trade:
    """The event's trade by code, or a command-line error."""
    trade = find_trade(event, code)
    if trade is None:
        raise click.ClickException(f"No trade with code {code} in event {event.code}.")
    return trade


def delegation_by_code(event: Event, code: str) -> Delegation:
    found = db.session.scalar(sa.select(Delegation).where(Delegation.event_id == event.id,
                                                          Delegation.code == code))
    if found is None:
        raise click.ClickException(f"No delegation with code {code} in event {event.code}.")
    return found


def refusal_text(refusal: Invalid | NotAllowed) -> str:
    problems = refusal.problems.values() if isinstance(refusal, Invalid) else [refusal.problem]
    return " ".join(p.render() for p in problems)
