"""GET /api/products/{id}/reviews: a product's visible reviews, newest first."""

from __future__ import annotations

from typing import Any

from functions.reviews.models import ReviewList, ReviewQuery
from functions.reviews.store import page_of_reviews
from shopfn.registry import http
from shopfn.web import Request


@http(
    "GET",
    "/api/products/{id}/reviews",
    query=ReviewQuery,
    response=ReviewList,
    limit="reviews",
    stores=("mongo",),
    tags=("reviews",),
)
def reviews_list(req: Request) -> dict[str, Any]:
    """List a product's reviews (hidden ones left out), a page at a time."""
    q: ReviewQuery = req.args
    found, total = page_of_reviews(req.params["id"], q.page, q.pageSize)
    return {"reviews": found, "total": total, "page": q.page, "pageSize": q.pageSize}
