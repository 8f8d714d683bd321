"""GET /api/products/{id}: one product."""

from __future__ import annotations

from typing import Any

from functions.catalog.models import ProductEnvelope, public_product
from functions.catalog.store import get_product
from shopfn.errors import not_found
from shopfn.registry import Scale, http
from shopfn.web import Request


@http(
    "GET",
    "/api/products/{id}",
    response=ProductEnvelope,
    limit="products",
    scale=Scale(max=30, concurrency=100),
    stores=("mongo", "redis"),
    tags=("catalog",),
)
def catalog_get(req: Request) -> dict[str, Any]:
    """Get a product by id."""
    doc = get_product(req.params["id"])
    if doc is None:
        raise not_found(f"product {req.params['id']}")
    return {"product": public_product(doc)}
