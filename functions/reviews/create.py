"""POST /api/products/{id}/reviews: review a product (one review per user and product)."""

from __future__ import annotations

from functions.catalog.store import get_product
from functions.reviews.models import ReviewCreate, ReviewEnvelope
from functions.reviews.publish import review_event
from functions.reviews.store import insert_review
from shopfn.errors import not_found
from shopfn.registry import http
from shopfn.web import Request, Response


@http(
    "POST",
    "/api/products/{id}/reviews",
    auth="user",
    body=ReviewCreate,
    response=ReviewEnvelope,
    status=201,
    limit="reviews",
    stores=("mongo", "redis"),
    emits=("shop.review.created.v1",),
    tags=("reviews",),
)
def reviews_create(req: Request) -> Response:
    """Post a 1-5 star review; a second review of the same product is refused (409)."""
    product_id = req.params["id"]
    if get_product(product_id) is None:
        raise not_found(f"product {product_id}")
    body: ReviewCreate = req.body
    doc = insert_review(product_id, req.user.user_id, req.user.email.split("@")[0], body)
    review_event("created", doc)
    return Response({"review": doc}, status=201)
