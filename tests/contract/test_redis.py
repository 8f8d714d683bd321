"""Contract: what shopfn relies on from Redis (sessions, caches, rate limits, feeds)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

pytestmark = [pytest.mark.servers("redis"), pytest.mark.timeout(30)]

# Fixed-window rate limit: count and start the window in one atomic step.
RATE_LIMIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count
"""


@pytest.fixture
def client(servers: dict[str, str]) -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(servers["SHOPFN_REDIS_URL"], decode_responses=True)
    yield connection
    connection.close()


@pytest.fixture
def key() -> str:
    return f"contract:{uuid.uuid4().hex}"


def test_values_expire(client: redis.Redis, key: str) -> None:
    client.set(key, "refresh-token", ex=60)
    assert client.get(key) == "refresh-token"
    assert 0 < client.ttl(key) <= 60
    client.pexpire(key, 1)
    client.delete(key)
    assert client.get(key) is None


def test_lua_eval_counts_atomically(client: redis.Redis, key: str) -> None:
    counts = [client.eval(RATE_LIMIT, 1, key, 60_000) for _ in range(3)]
    assert counts == [1, 2, 3]
    assert 0 < client.pttl(key) <= 60_000
    script = client.register_script(RATE_LIMIT)
    assert script(keys=[key], args=[60_000]) == 4


def test_transaction_and_list_feed(client: redis.Redis, key: str) -> None:
    with client.pipeline(transaction=True) as pipe:
        for n in range(5):
            pipe.lpush(key, f"event-{n}")
        pipe.ltrim(key, 0, 2)
        pipe.expire(key, 60)
        pipe.execute()
    assert client.lrange(key, 0, -1) == ["event-4", "event-3", "event-2"]


def test_watch_detects_a_concurrent_write(client: redis.Redis, key: str) -> None:
    client.set(key, "1")
    with client.pipeline() as pipe:
        pipe.watch(key)
        client.set(key, "2")
        pipe.multi()
        pipe.set(key, "3")
        with pytest.raises(redis.WatchError):
            pipe.execute()
    assert client.get(key) == "2"
