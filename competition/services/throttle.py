"""Counters that hold across every worker process and host: in Redis when ``REDIS_URL`` is set,
else in the database (the ``counter`` table). Never per process: a limit counted in each worker
alone is multiplied by the number of workers.

A store that is configured but cannot be reached raises :class:`StoreUnavailable`; callers fail
closed (refuse what the limit guards, with a message), never open.

Each operation runs in its own short transaction, apart from the request's: a refused login
still counts even though the request that carried it rolls back.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Protocol

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from competition.extensions import db
from competition.models import Counter
from competition.models.base import utcnow

PREFIX = "competition:"
CLEANUP_CHANCE = 0.01  # share of increments that also drop lapsed rows


class StoreUnavailable(Exception):
    """The configured counter store cannot be reached."""


class Store(Protocol):
    def incr(self, key: str, ttl: int) -> int:
        """Add one to ``key`` (created with value 1, lapsing after ``ttl`` seconds, when absent
        or lapsed) and return the new value."""

    def hold(self, key: str, ttl: int) -> None:
        """Set ``key`` to lapse ``ttl`` seconds from now."""

    def remaining(self, key: str) -> int:
        """Whole seconds until ``key`` lapses; 0 when it is absent or lapsed."""

    def value(self, key: str) -> int:
        """The count of ``key``; 0 when it is absent or lapsed."""

    def clear(self, key: str) -> None:
        """Forget ``key``."""


class RedisStore:
    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.errors = (redis.RedisError, OSError)

    def _run(self, call):
        try:
            return call()
        except self.errors as error:
            raise StoreUnavailable(str(error)) from error

    def incr(self, key: str, ttl: int) -> int:
        def run() -> int:
            pipe = self.client.pipeline()
            pipe.set(PREFIX + key, 0, ex=ttl, nx=True)
            pipe.incr(PREFIX + key)
            return int(pipe.execute()[1])
        return self._run(run)

    def hold(self, key: str, ttl: int) -> None:
        self._run(lambda: self.client.set(PREFIX + key, 1, ex=max(ttl, 1)))

    def remaining(self, key: str) -> int:
        left = self._run(lambda: self.client.pttl(PREFIX + key))
        return max(0, -(-int(left) // 1000)) if left and left > 0 else 0

    def value(self, key: str) -> int:
        found = self._run(lambda: self.client.get(PREFIX + key))
        return int(found) if found else 0

    def clear(self, key: str) -> None:
        self._run(lambda: self.client.delete(PREFIX + key))


class DatabaseStore:
    """Counters in the ``counter`` table, each change an atomic upsert on its own connection."""

    def _upsert(self, connection, key: str, ttl: int, add: bool) -> int:
        now = utcnow()
        expires = now + timedelta(seconds=ttl)
        table = Counter.__table__
        dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
        statement = dialect.insert(table).values(key=key, value=1, expires_at=expires)
        lapsed = table.c.expires_at <= now
        statement = statement.on_conflict_do_update(index_elements=[table.c.key], set_={
            "value": sa.case((lapsed, 1), else_=table.c.value + 1) if add else 1,
            "expires_at": sa.case((lapsed, expires), else_=table.c.expires_at) if add
            else expires,
        }).returning(table.c.value)
        return int(connection.execute(statement).scalar_one())

    def _connection(self):
        try:
            return db.engine.begin()
        except SQLAlchemyError as error:
            raise StoreUnavailable(str(error)) from error

    def incr(self, key: str, ttl: int) -> int:
        with self._connection() as connection:
            if random.random() < CLEANUP_CHANCE:
                connection.execute(sa.delete(Counter).where(Counter.expires_at <= utcnow()))
            return self._upsert(connection, key, ttl, add=True)

    def hold(self, key: str, ttl: int) -> None:
        with self._connection() as connection:
            self._upsert(connection, key, max(ttl, 1), add=False)

    def _row(self, key: str):
        with self._connection() as connection:
            return connection.execute(sa.select(Counter.value, Counter.expires_at)
                                      .where(Counter.key == key)).first()

    def _left(self, row) -> int:
        if row is None:
            return 0
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(
            tzinfo=utcnow().tzinfo)
        left = (expires - utcnow()).total_seconds()
        return max(0, -(-int(left * 1000) // 1000))

    def remaining(self, key: str) -> int:
        return self._left(self._row(key))

    def value(self, key: str) -> int:
        row = self._row(key)
        return int(row.value) if self._left(row) > 0 else 0

    def clear(self, key: str) -> None:
        with self._connection() as connection:
            connection.execute(sa.delete(Counter).where(Counter.key == key))


def store() -> Store:
    """The app's counter store: Redis when ``REDIS_URL`` is set, else the database."""
    found = current_app.extensions.get("counter_store")
    if found is None:
        url = current_app.config.get("REDIS_URL")
        found = RedisStore(url) if url else DatabaseStore()
        current_app.extensions["counter_store"] = found
    return found


def hit(key: str, limit: int, window: int) -> int:
    """Count one use of ``key`` within a window of ``window`` seconds; 0 while at most ``limit``
    uses were counted, else the seconds until the window ends (the caller refuses)."""
    counted = store().incr(key, window)
    return 0 if counted <= limit else max(store().remaining(key), 1)
