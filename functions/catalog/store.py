"""Products in MongoDB, read through a Redis cache that never makes a read fail."""

from __future__ import annotations

import functools
import json
import logging
from typing import Any

import redis
from pymongo.collection import Collection
from shopfn import jsonio, logs
from shopfn.stores import mongo_db, redis_client

log = logs.get_logger("catalog.store")
CACHE_TTL = 300  # seconds; product events invalidate sooner


@functools.cache
def products() -> Collection[dict[str, Any]]:
    return mongo_db()["products"]


def cache_key(product_id: str) -> str:
    return f"catalog:product:{product_id}"


def get_product(product_id: str) -> dict[str, Any] | None:
    """The product, from the cache when it has it, else MongoDB (then cached)."""
    try:
        cached = redis_client().get(cache_key(product_id))
        if cached:
            return dict(json.loads(cached))
    except redis.RedisError as exc:
        # A cache outage costs latency, never the answer.
        logs.log_event(log, "cache read failed", logging.WARNING, error=str(exc))
    doc = products().find_one({"_id": product_id})
    if doc is None:
        return None
    try:
        redis_client().set(cache_key(product_id), jsonio.dumps(doc), ex=CACHE_TTL)
    except redis.RedisError as exc:
        logs.log_event(log, "cache write failed", logging.WARNING, error=str(exc))
    return doc


def invalidate(product_id: str) -> None:
    redis_client().delete(cache_key(product_id))
