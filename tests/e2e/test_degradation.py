"""Graceful degradation: Redis, then Elasticsearch, stopped mid-run and started again.

The catalog keeps answering from MongoDB without its cache, search answers from MongoDB without
its engine; both circuits open (so the dead server costs nothing per request) and close again
when the server is back.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis

from shopfn import breaker
from shopfn.servers import EmbeddedServers
from shopfn.stores import redis_client
from tests.e2e.conftest import Gateway
from tests.e2e.shop_helpers import create_product, search, unique_category

pytestmark = [
    pytest.mark.servers("mongo", "redis", "elasticsearch"),
    pytest.mark.timeout(240),
]


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what} not within {timeout} s")


@pytest.fixture
def outage(embedded_servers: EmbeddedServers) -> Iterator[Callable[[str], Callable[[], None]]]:
    """`outage(name)` stops a server and returns the function that starts it again.

    Whatever the test does, every stopped server is running again afterwards.
    """
    down: set[str] = set()

    def stop(name: str) -> Callable[[], None]:
        embedded_servers.stop_one(name)
        down.add(name)

        def start() -> None:
            embedded_servers.start_one(name)
            down.discard(name)

        return start

    breaker.reset_breakers()
    yield stop
    for name in sorted(down):
        embedded_servers.start_one(name)
    breaker.reset_breakers()


def _get(gateway: Gateway, product_id: str) -> dict[str, Any]:
    resp = gateway.http.get(f"{gateway.url}/api/products/{product_id}", timeout=15)
    assert resp.status_code == 200, resp.text
    return dict(resp.json()["product"])


def test_catalog_answers_from_mongodb_while_redis_is_down(
    gateway: Gateway, outage: Callable[[str], Callable[[], None]]
) -> None:
    category = unique_category()
    product = create_product(gateway, category=category, name="Cache-proof kettle", price=42.5)
    key = f"catalog:product:{product['_id']}"
    assert _get(gateway, product["_id"])["price"] == 42.5
    assert redis_client().exists(key)

    restart = outage("redis")
    started = time.perf_counter()
    for _ in range(10):
        during = _get(gateway, product["_id"])
        assert (during["name"], during["price"]) == ("Cache-proof kettle", 42.5)
    listed = gateway.http.get(
        f"{gateway.url}/api/products", params={"category": category}, timeout=15
    )
    assert listed.status_code == 200, listed.text
    assert [p["_id"] for p in listed.json()["products"]] == [product["_id"]]
    assert breaker.breaker_for("redis").state == "open"  # later calls did not touch Redis
    assert time.perf_counter() - started < 10

    restart()

    # Redis restarted empty (no persistence): the cache fills again once the circuit closes.
    def cached_again() -> bool:
        assert _get(gateway, product["_id"])["price"] == 42.5
        try:
            return bool(redis_client().exists(key))
        except redis.RedisError:  # this test shares the process's breaker: still open
            return False

    wait_for(cached_again, 30, "the cache refilled after Redis came back")
    assert breaker.breaker_for("redis").state == "closed"


def test_search_answers_from_mongodb_while_elasticsearch_is_down(
    gateway: Gateway, outage: Callable[[str], Callable[[], None]]
) -> None:
    word = f"zq{uuid.uuid4().hex[:8]}"
    category = unique_category()
    product = create_product(gateway, category=category, name=f"Lantern {word}", price=19.0)

    def indexed() -> dict[str, Any] | None:
        found = search(gateway, q=word)
        return found if found["source"] == "elasticsearch" and found["total"] == 1 else None

    gateway.drain()
    wait_for(indexed, 30, "the product searchable in Elasticsearch")

    restart = outage("elasticsearch")
    for _ in range(6):
        degraded = search(gateway, q=word)
        assert degraded["source"] == "mongo" and degraded["degraded"] is True
        assert [hit["_id"] for hit in degraded["results"]] == [product["_id"]]
        assert degraded["results"][0]["price"] == 19.0
    assert _get(gateway, product["_id"])["name"] == f"Lantern {word}"
    assert breaker.breaker_for("elasticsearch").state == "open"

    restart()
    recovered = wait_for(indexed, 60, "search answering from Elasticsearch again")
    assert [hit["_id"] for hit in recovered["results"]] == [product["_id"]]
    assert breaker.breaker_for("elasticsearch").state == "closed"
