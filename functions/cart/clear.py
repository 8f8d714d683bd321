"""DELETE /api/cart: empty your cart."""

from __future__ import annotations

from functions.cart.store import clear
from shopfn.registry import Scale, http
from shopfn.web import Request, Response


@http(
    "DELETE",
    "/api/cart",
    auth="user",
    status=204,
    limit="cart",
    scale=Scale(max=10, concurrency=100),
    stores=("redis",),
    tags=("cart",),
)
def cart_clear(req: Request) -> Response:
    """Empty your cart."""
    clear(req.user.user_id)
    return Response(None, status=204)
