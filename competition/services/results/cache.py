"""The cache of public results and the one function that retires it.

Public data (a trade's published version, the medal table's award lines, the names of its
columns) is cached under the event and its results version (``Event.results_version`` with
``Event.results_stamp``, a random stamp drawn anew with every version, so that a key never comes
back, not even after a restore from a backup), which every request reads from the database with
the event. With ``REDIS_URL`` set the cache is in Redis, shared by every worker and every host;
without it, each process keeps its own. Either way an entry is never served for another version,
so once a change of public results commits, no worker and no host answers from before it.
:func:`results_changed` is the one place that moves the version on: every change of public
results calls it inside its own transaction.

Redis entries are pickled and signed with the app's secret key (an entry that does not verify,
or was written by another deployment, is ignored), named after the database they come from (two
databases on one Redis never share entries), and lapse after :data:`REDIS_TTL`. The cache is a
speed-up, never the truth: when Redis cannot be reached, pages are built from the database (and
Redis is left alone for :data:`REDIS_PAUSE` seconds before it is tried again).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import pickle
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from flask import current_app

from competition.extensions import db
from competition.models import Event
from competition.models.event import new_stamp

log = logging.getLogger("competition.cache")

PROCESS_LIMIT = 4096  # entries kept in one process before it starts afresh
REDIS_TTL = 3600  # seconds an entry lives in Redis (entries of old versions simply lapse)
REDIS_PAUSE = 10  # seconds Redis is left alone after it failed
REDIS_TIMEOUT = 0.5  # seconds: a slow Redis must not slow every public page down
T = TypeVar("T")
_MISS = object()


class ProcessCache:
    """Entries in this process only."""

    def __init__(self) -> None:
        self.entries: dict[tuple, Any] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Any:
        with self.lock:
            return self.entries.get(key, _MISS)

    def put(self, key: tuple, value: Any) -> None:
        with self.lock:
            if len(self.entries) >= PROCESS_LIMIT:
                self.entries.clear()
            self.entries[key] = value

    def drop_event(self, event_id: int) -> None:
        with self.lock:
            for key in [key for key in self.entries if key[0] == event_id]:
                del self.entries[key]


class RedisCache:
    """Entries in Redis, shared by every process that has the same database and secret key."""

    def __init__(self, url: str, secret: str, database: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=REDIS_TIMEOUT,
                                           socket_connect_timeout=REDIS_TIMEOUT)
        self.errors = (redis.RedisError, OSError)
        self.secret = secret.encode()
        self.prefix = "competition:results:" + hashlib.sha256(database.encode()).hexdigest()[:12]
        self.paused_until = 0.0

    def name(self, key: tuple) -> str:
        return ":".join([self.prefix, *(str(part) for part in key)])

    def _call(self, work: Callable[[], Any]) -> Any:
        if time.monotonic() < self.paused_until:
            return _MISS
        try:
            return work()
        except self.errors as error:
            self.paused_until = time.monotonic() + REDIS_PAUSE
            log.warning("Redis cache unavailable (%s): building public results from the "
                        "database for %s s", error, REDIS_PAUSE)
            return _MISS

    def _seal(self, data: bytes) -> bytes:
        return hmac.new(self.secret, data, hashlib.sha256).digest() + data

    def _open(self, sealed: bytes) -> Any:
        mac, data = sealed[:32], sealed[32:]
        if not hmac.compare_digest(mac, hmac.new(self.secret, data, hashlib.sha256).digest()):
            return _MISS
        return pickle.loads(data)  # signed with this deployment's secret key: ours

    def get(self, key: tuple) -> Any:
        sealed = self._call(lambda: self.client.get(self.name(key)))
        return _MISS if sealed is _MISS or sealed is None else self._open(sealed)

    def put(self, key: tuple, value: Any) -> None:
        data = self._seal(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        self._call(lambda: self.client.set(self.name(key), data, ex=REDIS_TTL))

    def drop_event(self, event_id: int) -> None:
        """Nothing to do: entries are named after their version, and old ones lapse."""


def store() -> ProcessCache | RedisCache:
    """The app's cache: Redis when ``REDIS_URL`` is set, else this process's."""
    found = current_app.extensions.get("results_cache")
    if found is None:
        url = current_app.config.get("REDIS_URL")
        found = RedisCache(url, current_app.config["SECRET_KEY"],
                           current_app.config["SQLALCHEMY_DATABASE_URI"]) if url \
            else ProcessCache()
        current_app.extensions["results_cache"] = found
    return found


def cached(event: Event, key: tuple, build: Callable[[], T]) -> T:
    """``build()`` once per event, results version and key (in Redis, or in this process)."""
    full = (event.id, event.results_version, event.results_stamp, *key)
    cache = store()
    value = cache.get(full)
    if value is _MISS:
        value = build()
        cache.put(full, value)
    return value


def results_changed(event: Event) -> None:
    """The one place that retires cached public results of ``event``: call it inside the
    transaction that changes what the public sees (publication, amendment, embargo, criterion
    marks shown). It bumps ``Event.results_version`` in the database (an atomic increment, so
    concurrent publications never share a version) with a new random stamp, which retires every
    cache entry and ETag built on the old version in every process and on every host once the
    transaction commits, and drops this process's own entries at once."""
    db.session.execute(sa.update(Event).where(Event.id == event.id)
                       .values(results_version=Event.results_version + 1,
                               results_stamp=new_stamp())
                       .execution_options(synchronize_session=False))
    db.session.expire(event, ["results_version", "results_stamp"])
    store().drop_event(event.id)
