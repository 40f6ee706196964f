"""The cache of public results and the one function that retires it.

Public data is cached in this process, keyed by event and ``Event.results_version``.
:func:`results_changed` is the one place that drops it: every change of public results calls it
inside its transaction, which also bumps the version in the database so that other processes'
caches and the pages' ETags move on too.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa

from competition.extensions import db
from competition.models import Event

_CACHE: dict[tuple, Any] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_LIMIT = 4096
_MISS = object()
T = TypeVar("T")


def cached(event: Event, key: tuple, build: Callable[[], T]) -> T:
    """``build()`` once per event, results version and key, in this process."""
    full = (event.id, event.results_version, *key)
    with _CACHE_LOCK:
        value = _CACHE.get(full, _MISS)
    if value is not _MISS:
        return value
    value = build()
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[full] = value
    return value


def results_changed(event: Event) -> None:
    """The one place that drops cached public results of ``event``: call it inside the
    transaction that changes what the public sees (publication, amendment, embargo, criterion
    marks shown). It bumps ``Event.results_version`` in the database (an atomic increment, so
    concurrent publications never share a version), which retires every cache key and ETag built
    on the old version in every process, and drops this process's entries at once."""
    db.session.execute(sa.update(Event).where(Event.id == event.id)
                       .values(results_version=Event.results_version + 1)
                       .execution_options(synchronize_session=False))
    db.session.expire(event, ["results_version"])
    with _CACHE_LOCK:
        for key in [key for key in _CACHE if key[0] == event.id]:
            del _CACHE[key]


