"""POST /api/cart/checkout: turn your cart into a PENDING order and start its saga.

The stock is checked again (it may have gone since the items were added). The order, its
shop.order.created.v1 outbox row, the saga's first state and its first command (ReserveItems)
are written in one transaction: the saga exists exactly when the order does, even if this
process dies right after the commit, and its first step leaves without waiting for a delivery
of shop.order.created.v1 (which notifications and analytics still get).
"""

from __future__ import annotations

from functions.cart.models import CheckoutBody
from functions.cart.stock import shortage
from functions.cart.store import checkout_lock, checkout_unlock, clear, currency, items
from functions.inventory.store import available
from functions.orders.models import OrderEnvelope
from functions.orders.store import create
from functions.saga.core import ORDER_CREATED, RESERVE_ITEMS
from functions.saga.db import transaction
from functions.saga.drive import start
from shopfn.errors import ApiError
from shopfn.metrics import orders as orders_counter
from shopfn.registry import Scale, http
from shopfn.web import Request, Response


@http(
    "POST",
    "/api/cart/checkout",
    auth="user",
    body=CheckoutBody,
    response=OrderEnvelope,
    status=201,
    limit="orders",
    scale=Scale(max=20, concurrency=50),
    stores=("redis", "mongo", "postgres"),
    emits=(ORDER_CREATED, RESERVE_ITEMS),
    tags=("cart", "orders"),
)
def cart_checkout(req: Request) -> Response:
    """Place an order from your cart (201, status PENDING) and empty the cart."""
    body: CheckoutBody = req.body
    user_id = req.user.user_id
    if not checkout_lock(user_id):
        raise ApiError(409, "a checkout of this cart is already running", code="checkout-running")
    try:
        entries = items(user_id)
        if not entries:
            raise ApiError(409, "your cart is empty", code="cart-empty")
        lines = [
            {
                "productId": e["productId"],
                "name": e["name"],
                "quantity": int(e["quantity"]),
                "unitPrice": float(e["unitPrice"]),
            }
            for e in entries
        ]
        publish: list[str] = []
        with transaction(publish) as cur:
            left = available(cur, [line["productId"] for line in lines])
            for line in lines:
                have = left.get(line["productId"], 0)
                if have < line["quantity"]:
                    raise shortage(line["name"], line["productId"], line["quantity"], have)
            order, created = create(
                cur, user_id, lines, currency(), body.card_last4, body.shippingAddress
            )
            saga = start(cur, created)
            publish.extend([str(created["id"]), *saga.outbox_ids])
        clear(user_id)
    finally:
        checkout_unlock(user_id)
    orders_counter.labels("created").inc()
    saga.after_commit(order["id"], ORDER_CREATED)
    return Response(
        {"order": order}, status=201, headers={"Location": f"/api/orders/{order['id']}"}
    )
