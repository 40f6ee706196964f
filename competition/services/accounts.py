"""Accounts: creating users, checking passwords, generating initial passwords."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from competition.domain.messages import N_, Problem
from competition.extensions import db
from competition.models import Event, Role, User
from competition.models.base import utcnow
from competition.services.errors import committing

log = logging.getLogger("competition.auth")

# Passwords people pick first; a longer list would come from a package, these catch the worst.
COMMON_PASSWORDS = frozenset(
    """123456 1234567 12345678 123456789 1234567890 0123456789 password password1 password123
    qwerty qwertyuiop abc123 abcd1234 11111111 1111111111 00000000 88888888 66666666 iloveyou
    admin admin123 administrator welcome welcome1 letmein 1qaz2wsx qazwsxedc a123456 aa123456
    woaini1314 5201314 zxcvbnm asdfghjkl 147258369 987654321 passw0rd p@ssw0rd competition""".split()
)
# Letters and digits that cannot be mistaken for one another when read off a sheet of paper.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
DUMMY_HASH = generate_password_hash("not-a-real-password")


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_METHOD")
    return generate_password_hash(password, method) if method else generate_password_hash(password)


def generate_password(length: int = 12) -> str:
    """A random initial password that is easy to read off a handout."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def password_problem(password: str, username: str = "") -> Problem | None:
    """The password policy: at least 10 characters, not a common password, not the username."""
    if len(password) < 10:
        return Problem(N_("A password needs at least %(n)s characters."), {"n": 10})
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or (username and username.lower() in lowered):
        return Problem(N_("This password is too easy to guess."))
    if len(set(password)) < 4:
        return Problem(N_("This password is too easy to guess."))
    return None


@dataclass(frozen=True)
class NewAccount:
    user: User
    password: str


def create_user(username: str, name: str, role: Role, event: Event | None,
                password: str | None = None, delegation_id: int | None = None) -> NewAccount:
    """Add an account (not committed); a password is generated when none is given."""
    password = password or generate_password()
    user = User(username=username.strip(), name=name.strip(), role=role,
                event_id=event.id if event else None, delegation_id=delegation_id,
                password_hash=hash_password(password))
    db.session.add(user)
    return NewAccount(user, password)


def add_account(username: str, name: str, role: Role, event: Event | None,
                password: str | None = None) -> NewAccount:
    """Create an account in its own transaction (the command line's ``create-user``)."""
    with committing(Problem(N_("This username is taken."))):
        return create_user(username, name, role, event, password)


def username_taken(username: str, except_id: int | None = None) -> bool:
    query = sa.select(User.id).where(sa.func.lower(User.username) == username.strip().lower())
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) is not None


def authenticate(username: str, password: str, address: str = "") -> User | None:
    """The enabled user with these credentials, else None; every attempt is logged."""
    user = db.session.scalar(
        sa.select(User).where(sa.func.lower(User.username) == username.strip().lower())
    )
    if user is None:
        check_password_hash(DUMMY_HASH, password)  # same time whether or not the user exists
        log.warning("login failed for unknown user %r from %s", username, address)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_enabled:
        log.warning("login failed for %s from %s", user.username, address)
        return None
    with committing():
        user.last_login_at = utcnow()
    log.info("login %s from %s", user.username, address)
    return user


def set_password(user: User, password: str) -> None:
    """Store a new password and end every session opened with the old one."""
    user.password_hash = hash_password(password)
    user.session_version += 1


def change_password(user: User, current: str, new: str) -> Problem | None:
    if not check_password_hash(user.password_hash, current):
        return Problem(N_("The current password is wrong."))
    if problem := password_problem(new, user.username):
        return problem
    with committing():
        set_password(user, new)
    return None


def reset_password(user: User) -> str:
    """Give the user a new generated password (shown once to the organizer)."""
    password = generate_password()
    with committing():
        set_password(user, password)
    return password


def end_sessions(user: User) -> None:
    """End every session of the account (logout, and any copy of its cookie)."""
    with committing():
        user.session_version += 1


def set_enabled(user: User, enabled: bool) -> None:
    with committing():
        user.is_enabled = enabled
        if not enabled:
            user.session_version += 1
