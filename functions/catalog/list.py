"""GET /api/products: the catalog filtered, sorted, a bounded page at a time."""

from __future__ import annotations

from typing import Any

from functions.catalog.models import ProductList, ProductQuery
from functions.catalog.store import list_products
from shopfn.registry import Scale, http
from shopfn.web import Request


@http(
    "GET",
    "/api/products",
    query=ProductQuery,
    response=ProductList,
    limit="products",
    scale=Scale(max=30, concurrency=100),
    stores=("mongo", "redis"),
    tags=("catalog",),
)
def catalog_list(req: Request) -> dict[str, Any]:
    """List products by category, price range and stock; sort by newest, price or rating."""
    return list_products(req.args)
