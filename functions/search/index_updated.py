"""Consumer of shop.product.updated.v1: (re)index the product, newest version wins."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.search.consume import upsert
from shopfn.registry import Delivery, on_event


@on_event("shop.product.updated.v1", delivery=Delivery(retries=8), stores=("elasticsearch",))
def search_index_updated(event: CloudEvent) -> None:
    """Index a updated product (idempotent, version-aware)."""
    upsert(event)
