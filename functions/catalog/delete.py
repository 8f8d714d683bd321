"""DELETE /api/products/{id}: remove a product (admin)."""

from __future__ import annotations

from functions.catalog.publish import product_deleted
from functions.catalog.store import delete_product
from shopfn.errors import not_found
from shopfn.registry import http
from shopfn.web import Request, Response


@http(
    "DELETE",
    "/api/products/{id}",
    auth="admin",
    status=204,
    limit="products",
    stores=("mongo",),
    emits=("shop.product.deleted.v1",),
    tags=("catalog",),
)
def catalog_delete(req: Request) -> Response:
    """Delete a product and announce it."""
    doc = delete_product(req.params["id"])
    if doc is None:
        raise not_found(f"product {req.params['id']}")
    product_deleted(doc)
    return Response(None, status=204)
