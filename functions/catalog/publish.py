"""Announce a product change; the event carries the version that orders changes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from functions.catalog.query import event_data
from shopfn.events import new_event, publish


def product_changed(kind: str, doc: dict[str, Any]) -> None:
    """Publish shop.product.created/updated.v1 for `doc` as it is now."""
    product_id = str(doc["_id"])
    publish(new_event(f"shop.product.{kind}.v1", event_data(doc), subject=product_id))


def product_deleted(doc: dict[str, Any]) -> None:
    """Publish shop.product.deleted.v1 with the version after the last update."""
    product_id = str(doc["_id"])
    data = {
        "productId": product_id,
        "version": int(doc.get("version", 1)) + 1,
        "deletedAt": datetime.now(UTC).isoformat(),
    }
    publish(new_event("shop.product.deleted.v1", data, subject=product_id))
