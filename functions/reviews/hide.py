"""POST /api/reviews/{id}/hide: take a review out of sight (admin moderation)."""

from __future__ import annotations

from typing import Any

from functions.reviews.models import ReviewEnvelope
from functions.reviews.publish import review_event
from functions.reviews.store import hide_review
from shopfn.errors import not_found
from shopfn.registry import http
from shopfn.web import Request


@http(
    "POST",
    "/api/reviews/{id}/hide",
    auth="admin",
    response=ReviewEnvelope,
    limit="reviews",
    stores=("mongo",),
    emits=("shop.review.hidden.v1",),
    tags=("reviews",),
)
def reviews_hide(req: Request) -> dict[str, Any]:
    """Hide a review; hiding it again changes nothing."""
    review, changed = hide_review(req.params["id"])
    if review is None:
        raise not_found(f"review {req.params['id']}")
    if changed:
        review_event("hidden", review)
    return {"review": review}
