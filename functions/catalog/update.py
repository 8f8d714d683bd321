"""PATCH /api/products/{id}: change a product (admin)."""

from __future__ import annotations

from typing import Any

from functions.catalog.models import ProductEnvelope, ProductUpdate, public_product
from functions.catalog.publish import product_changed
from functions.catalog.store import update_product
from shopfn.errors import not_found
from shopfn.registry import http
from shopfn.web import Request


@http(
    "PATCH",
    "/api/products/{id}",
    auth="admin",
    body=ProductUpdate,
    response=ProductEnvelope,
    limit="products",
    stores=("mongo",),
    emits=("shop.product.updated.v1",),
    tags=("catalog",),
)
def catalog_update(req: Request) -> dict[str, Any]:
    """Update a product's fields; its version goes up by one."""
    body: ProductUpdate = req.body
    changes = body.model_dump(include=body.model_fields_set)
    if "specifications" in changes:
        changes["specifications"] = changes["specifications"] or {}
    doc = update_product(req.params["id"], changes)
    if doc is None:
        raise not_found(f"product {req.params['id']}")
    product_changed("updated", doc)
    return {"product": public_product(doc)}
