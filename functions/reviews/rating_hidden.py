"""Consumer of shop.review.hidden.v1: keep the product's rating average and count."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.reviews.aggregate import recompute
from shopfn.registry import on_event


@on_event("shop.review.hidden.v1", stores=("mongo",), emits=("shop.product.updated.v1",))
def reviews_rating_hidden(event: CloudEvent) -> None:
    """Recompute the rating after a review was hidden (idempotent)."""
    recompute(event)
