"""Pure translation of catalog requests into MongoDB filters, sorts, cache keys and events."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from functions.catalog.models import ProductQuery, Sort

SORTS: dict[Sort, list[tuple[str, int]]] = {
    "newest": [("createdAt", -1), ("_id", 1)],
    "price-asc": [("price", 1), ("_id", 1)],
    "price-desc": [("price", -1), ("_id", 1)],
    "rating": [("rating", -1), ("ratingCount", -1), ("_id", 1)],
}
EVENT_FIELDS = (
    "name",
    "description",
    "price",
    "category",
    "stock",
    "specifications",
    "rating",
    "ratingCount",
)


def mongo_filter(q: ProductQuery) -> dict[str, Any]:
    """The MongoDB filter for the query's category, price range and stock filters."""
    found: dict[str, Any] = {}
    if q.category:
        found["category"] = q.category
    price: dict[str, float] = {}
    if q.minPrice is not None:
        price["$gte"] = q.minPrice
    if q.maxPrice is not None:
        price["$lte"] = q.maxPrice
    if price:
        found["price"] = price
    if q.inStock is True:
        found["stock"] = {"$gt": 0}
    elif q.inStock is False:
        found["stock"] = {"$lte": 0}
    return found


def mongo_sort(sort: Sort) -> list[tuple[str, int]]:
    return SORTS[sort]


def list_cache_key(generation: int, q: ProductQuery) -> str:
    """One key per distinct query and catalog generation (bumped by every product event)."""
    canonical = json.dumps(q.model_dump(), sort_keys=True)
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:24]
    return f"catalog:list:{generation}:{digest}"


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


def event_data(doc: dict[str, Any]) -> dict[str, Any]:
    """shop.product.created/updated.v1 data: id, version and the product fields."""
    data: dict[str, Any] = {"productId": str(doc["_id"]), "version": int(doc.get("version", 1))}
    for name in EVENT_FIELDS:
        if name in doc:
            data[name] = doc[name]
    data["specifications"] = doc.get("specifications") or {}
    data["createdAt"] = _iso(doc["createdAt"])
    data["updatedAt"] = _iso(doc.get("updatedAt") or doc["createdAt"])
    return data
