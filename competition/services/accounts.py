"""Accounts: creating users, logging in (with the per-account throttle), changing and resetting
passwords, and the account log.

Logging in is throttled per account in the shared counter store (``services.throttle``: Redis
when configured, else the database), so the limits hold across every worker and host; the rule
is :mod:`competition.domain.accounts`. A store that is configured but down refuses the login
(:class:`throttle.StoreUnavailable` reaches the caller), never lets it through unchecked.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from competition.domain.accounts import (
    AccountEventKind,
    LoginLimits,
    fold_username,
    gate_wait,
    mask_username,
    may_reset_password,
)
from competition.domain.messages import N_, Problem
from competition.domain.roles import belongs_to
from competition.extensions import db
from competition.models import AccountEvent, Event, Role, User
from competition.models.base import utcnow
from competition.services import throttle
from competition.services.errors import NotAllowed, committing

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
RESET_NOT_ALLOWED = N_("Only an administrator can make a new password for a chief judge, a "
                       "supervisor or an organizer.")


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


# --- the account log ----------------------------------------------------------------------------

def record(kind: AccountEventKind, user: User, actor: User | None, detail: str = "") -> None:
    """Add a line to the account log (inside the caller's transaction); ``actor`` None is the
    command line (or an import that does not say who ran it); ``detail`` holds codes and the
    user's own words only, never text of ours (it is shown as stored, in any language)."""
    db.session.add(AccountEvent(kind=kind, event_id=user.event_id, user=user,
                                username=user.username, actor=actor,
                                actor_username=actor.username if actor else "",
                                detail=detail[:300]))


def account_log(event: Event, page: int):
    """One page of the event's account log, newest first."""
    query = (sa.select(AccountEvent).where(AccountEvent.event_id == event.id)
             .options(selectinload(AccountEvent.user), selectinload(AccountEvent.actor))
             .order_by(AccountEvent.at.desc(), AccountEvent.id.desc()))
    return db.paginate(query, page=page, per_page=50, error_out=False)


# --- creating accounts --------------------------------------------------------------------------

@dataclass(frozen=True)
class NewAccount:
    user: User
    password: str


def create_user(username: str, name: str, role: Role, event: Event | None,
                password: str | None = None, delegation_id: int | None = None,
                actor: User | None = None) -> NewAccount:
    """Add an account (not committed); a password is generated when none is given. Whoever
    made it knows the password, so the holder must change it at the first login."""
    password = password or generate_password()
    user = User(username=username, name=name.strip(), role=role,
                event_id=event.id if event else None, delegation_id=delegation_id,
                password_hash=hash_password(password), must_change_password=True)
    db.session.add(user)
    record(AccountEventKind.CREATED, user, actor)
    return NewAccount(user, password)


def add_account(username: str, name: str, role: Role, event: Event | None,
                password: str | None = None) -> NewAccount:
    """Create an account in its own transaction (the command line's ``create-user``)."""
    with committing(Problem(N_("This username is taken."))):
        return create_user(username, name, role, event, password)


def username_taken(username: str, except_id: int | None = None) -> bool:
    query = sa.select(User.id).where(User.username == fold_username(username))
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) is not None


def find_user(username: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.username == fold_username(username)))


# --- logging in ---------------------------------------------------------------------------------

class LoginWait(Exception):
    """The account's gate is closed: too many failed attempts; ``seconds`` until it opens."""

    def __init__(self, seconds: int):
        super().__init__(f"wait {seconds} s")
        self.seconds = seconds


def login_limits(config: Mapping | None = None) -> LoginLimits:
    """The app's login limits from its settings (``LOGIN_*``); ValueError when they make no
    sense."""
    config = current_app.config if config is None else config
    return LoginLimits(free_failures=config["LOGIN_FREE_FAILURES"],
                       first_wait=config["LOGIN_FIRST_WAIT"], max_wait=config["LOGIN_MAX_WAIT"],
                       address_failures=config["LOGIN_ADDRESS_FAILURES"],
                       address_window=config["LOGIN_ADDRESS_WINDOW"],
                       memory=config["LOGIN_FAILURE_MEMORY"])


def _account_key(username: str) -> str:
    # Keyed with the app's secret, so that whatever was typed as a username (a password, at
    # times) cannot be read back from the store.
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, fold_username(username).encode(), hashlib.sha256).hexdigest()[:40]


def _check(username: str, password: str, address: str) -> User | None:
    """The enabled user with these credentials, else None, in the same time either way."""
    user = find_user(username)
    if user is None:
        check_password_hash(DUMMY_HASH, password)
        log.warning("login failed for unknown user %s from %s", mask_username(username), address)
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_enabled:
        log.warning("login failed for account %s (%s) from %s", user.id,
                    mask_username(user.username), address)
        return None
    return user


def log_in(username: str, password: str, address: str = "") -> User | None:
    """The user these credentials open, or None; LoginWait while the account's gate is closed
    (the password is then not even checked); throttle.StoreUnavailable when the counter store
    is configured but down (the login is refused)."""
    check = _throttled_check if current_app.config["LOGIN_LIMITS"] else _check
    user = check(username, password, address)
    if user is not None:
        with committing():
            user.last_login_at = utcnow()
        log.info("login %s from %s", user.username, address)
    return user


def _throttled_check(username: str, password: str, address: str) -> User | None:
    """:func:`_check` behind the account's gate (``domain.accounts``), counted in the shared
    store. The gate is taken before the password is checked, so that attempts racing on
    several workers get no more turns than attempts made one after the other."""
    limits = login_limits()
    store = throttle.store()
    key = _account_key(username)
    gate, attempts = f"login:gate:{key}", f"login:attempts:{key}"
    address_key = f"login:address:{address}"
    if waiting := store.remaining(gate):
        log.warning("login refused for %s from %s: %s s to wait", mask_username(username),
                    address, waiting)
        raise LoginWait(waiting)
    attempt = store.incr(attempts, limits.memory)
    hot = store.value(address_key) > limits.address_failures
    if (wait := gate_wait(attempt, limits, hot)) and store.incr(gate, wait) > 1:
        raise LoginWait(max(store.remaining(gate), 1))  # another worker took this turn
    user = _check(username, password, address)
    if user is None:
        if store.incr(address_key, limits.address_window) == limits.address_failures + 1:
            log.warning("more than %s failed logins from %s within %s s",
                        limits.address_failures, address, limits.address_window)
    else:
        store.clear(attempts)
        store.clear(gate)
    return user


def forget_failures(user: User) -> None:
    """Open the account's gate (after an administrator or organizer gave it a new password);
    when the store is down the gate simply lapses in its time."""
    key = _account_key(user.username)
    with suppress(throttle.StoreUnavailable):
        throttle.store().clear(f"login:attempts:{key}")
        throttle.store().clear(f"login:gate:{key}")


# --- passwords ----------------------------------------------------------------------------------

def set_password(user: User, password: str) -> None:
    """Store a new password and end every session opened with the old one."""
    user.password_hash = hash_password(password)
    user.session_version += 1


def change_password(user: User, current: str, new: str) -> Problem | None:
    """The holder changes their own password (which ends the demand to change it)."""
    if not check_password_hash(user.password_hash, current):
        return Problem(N_("The current password is wrong."))
    if new == current:
        return Problem(N_("Choose a password other than the current one."))
    if problem := password_problem(new, user.username):
        return problem
    with committing():
        set_password(user, new)
        user.must_change_password = False
        record(AccountEventKind.PASSWORD_CHANGED, user, user)
    return None


def reset_password(actor: User | None, user: User) -> str:
    """Give the user a new generated password (shown once to whoever asked), recorded in the
    account log; the holder must change it at the next login. An organizer may do so for the
    judges of their event only (``domain.accounts.may_reset_password``); ``actor`` None is the
    command line."""
    if actor is not None and not (belongs_to(actor.role, actor.event_id, user.event_id or -1)
                                  and may_reset_password(actor.role, user.role)):
        raise NotAllowed(Problem(RESET_NOT_ALLOWED))
    password = generate_password()
    with committing():
        set_password(user, password)
        user.must_change_password = True
        record(AccountEventKind.PASSWORD_RESET, user, actor)
    forget_failures(user)
    return password


def end_sessions(user: User) -> None:
    """End every session of the account (logout, and any copy of its cookie)."""
    with committing():
        user.session_version += 1


def set_enabled(actor: User | None, user: User, enabled: bool) -> None:
    """Disable an account (its sessions end at once) or enable it again, recorded."""
    if user.is_enabled == enabled:
        return
    with committing():
        user.is_enabled = enabled
        if not enabled:
            user.session_version += 1
        record(AccountEventKind.ENABLED if enabled else AccountEventKind.DISABLED, user, actor)
