"""Consumer of shop.product.deleted.v1: leave a versioned tombstone in the index."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.search.consume import remove
from shopfn.registry import Delivery, on_event


@on_event("shop.product.deleted.v1", delivery=Delivery(retries=8), stores=("elasticsearch",))
def search_index_deleted(event: CloudEvent) -> None:
    """Hide a deleted product from search (idempotent, version-aware)."""
    remove(event)
