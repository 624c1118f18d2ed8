"""The Redis cache keeps one client per connection pool instead of one per call."""

from __future__ import annotations

import pytest
import redis

from helpdesk.cache import RedisCache


def test_every_call_reuses_the_client_of_its_pool():
    cache = RedisCache("redis://127.0.0.1:6379/1", {})

    first = cache._cache.get_client("a")
    again = cache._cache.get_client("b", write=True)

    assert first is again
    assert first.connection_pool is cache._cache._get_connection_pool(False)


def test_it_still_reads_what_it_wrote():
    cache = RedisCache("redis://127.0.0.1:6379/1", {"KEY_PREFIX": "test-helpdesk-cache"})
    try:
        cache.set("probe", {"n": 1}, 5)
    except redis.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")

    assert cache.get_many(["probe", "other"]) == {"probe": {"n": 1}}
    cache.delete("probe")
