"""Consumer of shop.product.deleted.v1: drop the product and the cached pages."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.catalog.cache import forget
from shopfn.registry import on_event


@on_event("shop.product.deleted.v1", stores=("redis",))
def catalog_cache_deleted(event: CloudEvent) -> None:
    """Invalidate the catalog cache after a product was deleted."""
    forget(event)
