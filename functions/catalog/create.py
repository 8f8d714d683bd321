"""POST /api/products: add a product (admin)."""

from __future__ import annotations

from functions.catalog.models import ProductCreate, ProductEnvelope, public_product
from functions.catalog.publish import product_changed
from functions.catalog.store import insert_product, new_product_doc
from shopfn.registry import http
from shopfn.web import Request, Response


@http(
    "POST",
    "/api/products",
    auth="admin",
    body=ProductCreate,
    response=ProductEnvelope,
    status=201,
    limit="products",
    stores=("mongo",),
    emits=("shop.product.created.v1",),
    tags=("catalog",),
)
def catalog_create(req: Request) -> Response:
    """Create a product (version 1) and announce it."""
    doc = insert_product(new_product_doc(req.body))
    product_changed("created", doc)
    return Response(
        {"product": public_product(doc)},
        status=201,
        headers={"Location": f"/api/products/{doc['_id']}"},
    )
