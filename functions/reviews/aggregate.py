"""What both rating consumers do: recompute the product's rating and announce the change."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.catalog.publish import product_changed
from functions.reviews import rating, store
from shopfn.events import event_data


def recompute(event: CloudEvent) -> None:
    product_id = str(event_data(event)["productId"])
    updated = rating.refresh(product_id, store.load_product, store.stars, store.write_rating)
    if updated is not None:
        # Search and the catalog cache follow the rating through the product's own event.
        product_changed("updated", updated)
