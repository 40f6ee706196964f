"""The shared counters behind every limit: the same answers from Redis and from the database,
counts that lapse, and a configured store that is down refusing instead of letting through."""

from __future__ import annotations

import time
import uuid

import pytest
import redis

from competition.services import throttle

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["database", "redis"])
def store(request, app):
    if request.param == "redis":
        if not redis_up():
            pytest.skip("no Redis at 127.0.0.1:6379 (CI starts one)")
        return throttle.RedisStore(REDIS_URL)
    return throttle.DatabaseStore()


def test_counts_add_up_and_lapse(store):
    key = f"test:{uuid.uuid4().hex}"
    assert store.value(key) == 0 and store.remaining(key) == 0
    assert [store.incr(key, 1) for _ in range(3)] == [1, 2, 3]
    assert store.value(key) == 3
    assert 1 <= store.remaining(key) <= 1
    time.sleep(1.1)
    assert store.value(key) == 0
    assert store.incr(key, 60) == 1  # a lapsed count starts again
    store.clear(key)
    assert store.value(key) == 0


def test_a_hold_lasts_its_time(store):
    key = f"test:{uuid.uuid4().hex}"
    store.hold(key, 30)
    assert 29 <= store.remaining(key) <= 30
    store.hold(key, 5)
    assert store.remaining(key) <= 5
    store.clear(key)
    assert store.remaining(key) == 0


def test_hit_refuses_past_the_limit_with_the_wait(app, monkeypatch):
    key = f"test:{uuid.uuid4().hex}"
    assert [throttle.hit(key, 2, 60) for _ in range(2)] == [0, 0]
    wait = throttle.hit(key, 2, 60)
    assert 1 <= wait <= 60


def test_a_configured_redis_that_is_down_fails_closed(app):
    down = throttle.RedisStore("redis://127.0.0.1:1/0")
    with pytest.raises(throttle.StoreUnavailable):
        down.incr("test:down", 60)
    with pytest.raises(throttle.StoreUnavailable):
        down.remaining("test:down")
