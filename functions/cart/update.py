"""PUT /api/cart/items/{productId}: set the quantity of a product in your cart."""

from __future__ import annotations

from typing import Any

from functions.cart.models import CartEnvelope, SetQuantity
from functions.cart.stock import require_stock
from functions.cart.store import item, put, view
from shopfn.errors import not_found
from shopfn.registry import Scale, http
from shopfn.web import Request


@http(
    "PUT",
    "/api/cart/items/{productId}",
    auth="user",
    body=SetQuantity,
    response=CartEnvelope,
    limit="cart",
    scale=Scale(max=10, concurrency=100),
    stores=("redis", "mongo", "postgres"),
    tags=("cart",),
)
def cart_update(req: Request) -> dict[str, Any]:
    """Set an item's quantity; 409 when the stock is short."""
    body: SetQuantity = req.body
    user_id, product_id = req.user.user_id, req.params["productId"]
    current = item(user_id, product_id)
    if current is None:
        raise not_found(f"product {product_id} in your cart")
    require_stock(product_id, str(current["name"]), body.quantity)
    put(user_id, {**current, "quantity": body.quantity})
    return {"cart": view(user_id)}
