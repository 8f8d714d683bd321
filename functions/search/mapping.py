"""The product index: analyzers for text, keyword fields for facets and exact filters."""

from __future__ import annotations

from typing import Any

from shopfn.config import settings


def alias() -> str:
    """Searches and the indexer address the alias; a reindex swaps the index behind it."""
    return settings().get("SEARCH_INDEX", "products")


SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    # One copy on a single dev node (green, not yellow), one replica once a cluster has two.
    "auto_expand_replicas": "0-1",
    "analysis": {
        "analyzer": {
            # Stemmed and accent-folded: "Running Héadphones" finds "run headphone".
            "product_text": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding", "porter_stem"],
            },
            # Unstemmed twin for typo tolerance: fuzzy matching a stem ("wirel") misses words
            # a shopper mistyped ("wireles"), the whole word does not.
            "plain_text": {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["lowercase", "asciifolding"],
            },
        },
    },
}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "productId": {"type": "keyword"},
        # Offsets in the postings let the highlighter mark hits without analysing the text
        # again: the highlight was a third of a search's time without them.
        "name": {
            "type": "text",
            "analyzer": "product_text",
            "index_options": "offsets",
            # No keyword twin: nothing sorts or aggregates by name, and it cost a third of the
            # time a bulk load took.
            "fields": {
                "plain": {"type": "text", "analyzer": "plain_text", "index_options": "offsets"}
            },
        },
        "description": {
            "type": "text",
            "analyzer": "product_text",
            "index_options": "offsets",
            "fields": {
                "plain": {"type": "text", "analyzer": "plain_text", "index_options": "offsets"}
            },
        },
        "category": {"type": "keyword"},
        "specText": {"type": "text", "analyzer": "product_text"},
        "specifications": {"type": "object", "enabled": False},
        "price": {"type": "double"},
        "stock": {"type": "integer"},
        "rating": {"type": "float"},
        "ratingCount": {"type": "integer"},
        "createdAt": {"type": "date"},
        "updatedAt": {"type": "date"},
        "version": {"type": "long"},
        # A deleted product stays as a versioned tombstone, so a late older update cannot
        # bring it back; searches exclude tombstones and a reindex carries them over.
        "deleted": {"type": "boolean"},
    },
}


def index_body(aliases: dict[str, Any] | None = None) -> dict[str, Any]:
    """The body that creates an index: settings, mappings and, if given, aliases."""
    body: dict[str, Any] = {"settings": SETTINGS, "mappings": MAPPINGS}
    if aliases:
        body["aliases"] = aliases
    return body


def document(data: dict[str, Any]) -> dict[str, Any]:
    """The indexed document for a product (event data or a stored product)."""
    specs = data.get("specifications") or {}
    return {
        "productId": str(data.get("productId") or data["_id"]),
        "name": data["name"],
        "description": data.get("description", ""),
        "category": data["category"],
        "specText": " ".join(f"{k} {v}" for k, v in specs.items()),
        "specifications": specs,
        "price": float(data["price"]),
        "stock": int(data["stock"]),
        "rating": float(data.get("rating", 0.0)),
        "ratingCount": int(data.get("ratingCount", 0)),
        "createdAt": _iso(data["createdAt"]),
        "updatedAt": _iso(data.get("updatedAt") or data["createdAt"]),
        "version": int(data.get("version", 1)),
        "deleted": False,
    }


def tombstone(product_id: str, version: int) -> dict[str, Any]:
    return {"productId": product_id, "version": version, "deleted": True}


def _iso(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
