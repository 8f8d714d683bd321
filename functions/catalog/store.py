"""Products in MongoDB, read through a Redis cache that never makes a read fail.

Every change bumps the product's `version`; the cache is invalidated by the consumers of the
product events (see `cache.py`), with a TTL only as a backstop.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import redis
from pymongo import ReturnDocument
from pymongo.collection import Collection

from functions.catalog.models import ProductCreate, ProductQuery
from functions.catalog.query import list_cache_key, mongo_filter, mongo_sort
from shopfn import jsonio, logs
from shopfn.stores import mongo_db, redis_client

log = logs.get_logger("catalog.store")
CACHE_TTL = 300  # seconds; product events invalidate sooner
LIST_CACHE_TTL = 60
GENERATION_KEY = "catalog:list:generation"
T = TypeVar("T")


def products() -> Collection[dict[str, Any]]:
    # Not cached: the collection must follow the client when `reset_clients()` replaces it.
    return mongo_db()["products"]


def ensure_indexes() -> None:
    products().create_index([("createdAt", -1)], name="created_desc")
    products().create_index([("category", 1), ("price", 1)], name="category_price")
    products().create_index([("price", 1)], name="price")
    products().create_index([("rating", -1)], name="rating_desc")


def cache_key(product_id: str) -> str:
    return f"catalog:product:{product_id}"


def _cache_safe(action: Callable[[], T], default: T, what: str) -> T:
    """Run a cache operation; a cache outage costs latency, never the answer."""
    try:
        return action()
    except redis.RedisError as exc:
        logs.log_event(log, f"cache {what} failed", logging.WARNING, error=str(exc))
        return default


def get_product(product_id: str) -> dict[str, Any] | None:
    """The product, from the cache when it has it, else MongoDB (then cached)."""
    cached = _cache_safe(lambda: redis_client().get(cache_key(product_id)), None, "read")
    if cached:
        return dict(json.loads(str(cached)))
    doc = products().find_one({"_id": product_id})
    if doc is None:
        return None
    body = jsonio.dumps(doc)
    _cache_safe(
        lambda: redis_client().set(cache_key(product_id), body, ex=CACHE_TTL), None, "write"
    )
    return doc


def list_products(q: ProductQuery) -> dict[str, Any]:
    """A page of products (JSON-ready), from the page cache of the current generation."""
    raw = _cache_safe(lambda: redis_client().get(GENERATION_KEY), None, "read")
    generation = int(str(raw or 0))
    key = list_cache_key(generation, q)
    cached = _cache_safe(lambda: redis_client().get(key), None, "read")
    if cached:
        return dict(json.loads(str(cached)))
    # One query per page and process: concurrent misses (a new generation, a cold start) wait
    # for it instead of each scanning MongoDB at once, which under load times them all out.
    with _page_lock(key):
        cached = _cache_safe(lambda: redis_client().get(key), None, "read")
        if cached:
            return dict(json.loads(str(cached)))
        return _load_page(q, key)


_PAGE_LOCKS: dict[str, threading.Lock] = {}
_PAGE_LOCKS_GUARD = threading.Lock()


def _page_lock(key: str) -> threading.Lock:
    with _PAGE_LOCKS_GUARD:
        if len(_PAGE_LOCKS) > 1024:  # keys of old generations: drop the idle ones
            for stale in [k for k, lock in _PAGE_LOCKS.items() if not lock.locked()]:
                del _PAGE_LOCKS[stale]
        return _PAGE_LOCKS.setdefault(key, threading.Lock())


def _load_page(q: ProductQuery, key: str) -> dict[str, Any]:
    found = mongo_filter(q)
    cursor = (
        products()
        .find(found)
        .sort(mongo_sort(q.sort))
        .skip((q.page - 1) * q.pageSize)
        .limit(q.pageSize)
    )
    page = {
        "products": list(cursor),
        "total": products().count_documents(found),
        "page": q.page,
        "pageSize": q.pageSize,
    }
    body = jsonio.dumps(page)
    _cache_safe(lambda: redis_client().set(key, body, ex=LIST_CACHE_TTL), None, "write")
    return dict(json.loads(body))


def new_product_doc(body: ProductCreate, now: datetime | None = None) -> dict[str, Any]:
    created = (now or datetime.now(UTC)).replace(microsecond=0)
    return {
        "_id": uuid.uuid4().hex,
        **body.model_dump(),
        "specifications": body.specifications or {},
        "rating": 0.0,
        "ratingCount": 0,
        "createdAt": created,
        "updatedAt": created,
        "version": 1,
    }


def insert_product(doc: dict[str, Any]) -> dict[str, Any]:
    products().insert_one(doc)
    return doc


def update_product(
    product_id: str, changes: dict[str, Any], expected: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """Apply `changes` and bump the version atomically; None when absent (or not `expected`)."""
    found = {"_id": product_id, **(expected or {})}
    return products().find_one_and_update(
        found,
        {"$set": {**changes, "updatedAt": datetime.now(UTC)}, "$inc": {"version": 1}},
        return_document=ReturnDocument.AFTER,
    )


def delete_product(product_id: str) -> dict[str, Any] | None:
    """Remove the product; the removed document, None when there was none."""
    return products().find_one_and_delete({"_id": product_id})


def invalidate(product_id: str) -> None:
    """Forget the product and every cached page (pages are keyed by the generation)."""
    with redis_client().pipeline(transaction=True) as pipe:
        pipe.delete(cache_key(product_id))
        pipe.incr(GENERATION_KEY)
        pipe.execute()
