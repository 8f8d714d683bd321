"""POST /api/cart/items: add a product (or more of it), if the stock allows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from functions.cart.models import AddItem, CartEnvelope
from functions.cart.stock import product, require_stock
from functions.cart.store import item, put, view
from shopfn.registry import Scale, http
from shopfn.web import Request


@http(
    "POST",
    "/api/cart/items",
    auth="user",
    body=AddItem,
    response=CartEnvelope,
    limit="cart",
    scale=Scale(max=20, concurrency=100),
    stores=("redis", "mongo", "postgres"),
    tags=("cart",),
)
def cart_add(req: Request) -> dict[str, Any]:
    """Add a product to your cart; 409 when the stock is short, 404 for an unknown product."""
    body: AddItem = req.body
    user_id = req.user.user_id
    doc = product(body.productId)
    current = item(user_id, body.productId)
    quantity = body.quantity + (int(current["quantity"]) if current else 0)
    require_stock(body.productId, str(doc["name"]), quantity)
    put(
        user_id,
        {
            "productId": body.productId,
            "name": doc["name"],
            # The first price seen stays: a cart's price does not move under the shopper.
            "unitPrice": current["unitPrice"] if current else float(doc["price"]),
            "quantity": quantity,
            "addedAt": current["addedAt"] if current else datetime.now(UTC).isoformat(),
        },
    )
    return {"cart": view(user_id)}
