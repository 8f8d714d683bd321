"""GET /api/products: the catalog, a page at a time."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from shopfn.registry import Scale, http
from shopfn.web import Request

from functions.catalog.models import ProductList, public_product
from functions.catalog.store import products


class ProductQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: int = Field(default=1, ge=1, le=10_000)
    pageSize: int = Field(default=20, ge=1, le=100)


@http(
    "GET",
    "/api/products",
    query=ProductQuery,
    response=ProductList,
    limit="products",
    scale=Scale(max=30, concurrency=100),
    stores=("mongo",),
    tags=("catalog",),
)
def catalog_list(req: Request) -> dict[str, Any]:
    """List products, newest first."""
    q: ProductQuery = req.args
    cursor = (
        products()
        .find({})
        .sort([("createdAt", -1), ("_id", 1)])
        .skip((q.page - 1) * q.pageSize)
        .limit(q.pageSize)
    )
    return {
        "products": [public_product(doc) for doc in cursor],
        "total": products().count_documents({}),
        "page": q.page,
        "pageSize": q.pageSize,
    }
