"""GET /api/orders/{id}: one order (its owner's, or any for an admin)."""

from __future__ import annotations

from typing import Any

from functions.orders.access import visible
from functions.orders.models import OrderEnvelope
from functions.orders.store import fetch
from functions.saga.db import transaction
from shopfn.registry import Scale, http
from shopfn.web import Request


@http(
    "GET",
    "/api/orders/{id}",
    auth="user",
    response=OrderEnvelope,
    limit="orders",
    scale=Scale(max=20, concurrency=100),
    stores=("postgres",),
    tags=("orders",),
)
def orders_get(req: Request) -> dict[str, Any]:
    """Get an order: your own, or any as an admin."""
    order_id = req.params["id"]
    with transaction() as cur:
        order = fetch(cur, order_id)
    return {"order": visible(order, req.user, order_id)}
