"""Product and stock checks for the cart (the catalog's product, inventory's stock)."""

from __future__ import annotations

from typing import Any

from functions.inventory.store import available
from functions.saga.db import transaction
from shopfn.errors import ApiError, not_found
from shopfn.stores import mongo_db


def product(product_id: str) -> dict[str, Any]:
    doc = mongo_db()["products"].find_one({"_id": product_id}, {"name": 1, "price": 1})
    if doc is None:
        raise not_found(f"product {product_id}")
    return dict(doc)


def shortage(name: str, product_id: str, wanted: int, left: int) -> ApiError:
    return ApiError(
        409,
        f"out of stock: {name} ({left} left, {wanted} wanted)",
        code="out-of-stock",
        productId=product_id,
        available=left,
    )


def require_stock(product_id: str, name: str, wanted: int) -> None:
    with transaction() as cur:
        left = available(cur, [product_id]).get(product_id, 0)
    if left < wanted:
        raise shortage(name, product_id, wanted, left)
