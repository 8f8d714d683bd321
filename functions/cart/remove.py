"""DELETE /api/cart/items/{productId}: take a product out of your cart."""

from __future__ import annotations

from typing import Any

from functions.cart.models import CartEnvelope
from functions.cart.store import remove, view
from shopfn.errors import not_found
from shopfn.registry import Scale, http
from shopfn.web import Request


@http(
    "DELETE",
    "/api/cart/items/{productId}",
    auth="user",
    response=CartEnvelope,
    limit="cart",
    scale=Scale(max=10, concurrency=100),
    stores=("redis",),
    tags=("cart",),
)
def cart_remove(req: Request) -> dict[str, Any]:
    """Remove an item from your cart."""
    user_id, product_id = req.user.user_id, req.params["productId"]
    if not remove(user_id, product_id):
        raise not_found(f"product {product_id} in your cart")
    return {"cart": view(user_id)}
