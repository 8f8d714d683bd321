"""GET /api/cart: your cart."""

from __future__ import annotations

from typing import Any

from functions.cart.models import CartEnvelope
from functions.cart.store import view
from shopfn.registry import Scale, http
from shopfn.web import Request


@http(
    "GET",
    "/api/cart",
    auth="user",
    response=CartEnvelope,
    limit="cart",
    scale=Scale(max=20, concurrency=100),
    stores=("redis",),
    tags=("cart",),
)
def cart_get(req: Request) -> dict[str, Any]:
    """Your cart, with the prices snapshotted when each item was added."""
    return {"cart": view(req.user.user_id)}
