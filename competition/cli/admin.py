"""Administration commands: accounts, the demo competition, status, backup and restore."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from competition.cli.common import event_by_code
from competition.domain.accounts import username_problem
from competition.extensions import db
from competition.models import Event, Role, User
from competition.services import accounts, backup, demo


@click.command("create-user")
@click.argument("username")
@click.option("--name", help="Full name shown in the app (default: the username).")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.ORGANIZER.value,
              show_default=True)
@click.option("--event", "event_code", help="Event code (required for every role but administrator).")
@click.option("--password", "ask", flag_value="ask", default=None,
              help="Ask for the password instead of generating one.")
@with_appcontext
def create_user(username: str, name: str | None, role: str, event_code: str | None,
                ask: str | None) -> None:
    """Create an account. A generated password is printed once unless --password asks for one;
    either way its holder must choose their own at the first login."""
    role_value = Role(role)
    event = event_by_code(event_code) if event_code else None
    if role_value != Role.ADMINISTRATOR and event is None:
        raise click.ClickException("Give --event CODE: only administrators belong to no event.")
    if problem := username_problem(username):
        raise click.ClickException(problem.render())
    if accounts.username_taken(username):
        raise click.ClickException(f"The username {username} is taken.")
    password = None
    if ask:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        if problem := accounts.password_problem(password, username):
            raise click.ClickException(problem.render())
    account = accounts.add_account(username, name or username, role_value, event, password)
    click.echo(f"Created {role_value.value} {account.user.username}.")
    if not ask:
        click.echo(f"Password (shown once): {account.password}")
    click.echo("The password must be changed at the first login.")


@click.command("reset-password")
@click.argument("username")
@with_appcontext
def reset_password_command(username: str) -> None:
    """Give an account a new generated password, printed once and recorded in the account log;
    its holder must change it at the next login (accounts restored from a backup without
    secrets, a locked-out administrator)."""
    user = accounts.find_user(username)
    if user is None:
        raise click.ClickException(f"No account {username}.")
    password = accounts.reset_password(None, user)
    click.echo(f"New password for {user.username} (shown once): {password}")
    click.echo("It must be changed at the next login.")


@click.command("demo")
@click.option("--size", type=click.Choice(sorted(demo.SIZES)), default="small", show_default=True)
@click.option("--code", help="Event code (default HN2026 for seed, DEMO2026 for small).")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has an event already.")
@with_appcontext
def demo_command(size: str, code: str | None, if_empty: bool) -> None:
    """Load a demo competition: --size seed (70 trades) or small (9 trades)."""
    if if_empty and db.session.scalar(sa.select(sa.func.count(Event.id))):
        click.echo("The database has events already; no demo loaded.")
        return
    try:
        logins = demo.build(size, code)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    lines = [f"{username}  {password}" for username, password in logins.items()]
    path = Path(current_app.instance_path) / "demo-logins.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.fchmod(descriptor, 0o600)  # readable by the owner only from the first byte
    with os.fdopen(descriptor, "a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    click.echo(f"Demo competition loaded ({size}). Logins (also in {path}):")
    for line in lines:
        click.echo("  " + line)


@click.command("status")
@with_appcontext
def status_command() -> None:
    """Print the events in the database and how many accounts each has."""
    rows = db.session.execute(sa.select(Event.code, Event.name_zh, sa.func.count(User.id))
                              .outerjoin(User, User.event_id == Event.id).group_by(Event.id))
    for code, name, users in rows:
        click.echo(f"{code}\t{name}\t{users} accounts")
    sys.stdout.flush()


@click.command("backup")
@click.option("--event", "event_code", required=True, help="Event code.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write (gzip-compressed JSON lines), e.g. HN2026.backup.gz")
@click.option("--with-secrets", is_flag=True,
              help="Include the password hashes (for a copy that stays on this server). Without "
                   "them, restored accounts cannot log in until they are given new passwords.")
@with_appcontext
def backup_command(event_code: str, output: Path, with_secrets: bool) -> None:
    """Dump one event with everything that belongs to it to a file readable by its owner only
    (it holds ID numbers and phones). Password hashes are left out unless --with-secrets."""
    event = event_by_code(event_code)
    counts = backup.write_file(event, output, with_secrets)
    click.echo(f"Wrote {sum(counts.values())} rows of {len(counts)} tables to {output} "
               f"(mode 0600, password hashes {'included' if with_secrets else 'left out'}).")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(file: Path) -> None:
    """Restore an event from a backup file into this database (all or nothing)."""
    try:
        with file.open("rb") as source:
            counts = backup.restore(source)
        with file.open("rb") as source:
            secrets = backup.has_secrets(source)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {sum(counts.values())} rows of {len(counts)} tables.")
    if not secrets:
        click.echo(f"The backup holds no passwords: none of its {counts.get('user', 0)} accounts "
                   "can log in until it is given a new one (reset-password USERNAME, or "
                   "\"Make a new password\" in the app).")


COMMANDS = [create_user, reset_password_command, demo_command, status_command, backup_command,
            restore_command]
