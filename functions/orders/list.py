"""GET /api/orders: your orders, newest first (an admin sees everyone's); filter by status."""

from __future__ import annotations

from typing import Any

from functions.orders.models import OrderList, OrderQuery
from functions.orders.store import page
from functions.saga.db import transaction
from shopfn.registry import Scale, http
from shopfn.web import Request


@http(
    "GET",
    "/api/orders",
    auth="user",
    query=OrderQuery,
    response=OrderList,
    limit="orders",
    scale=Scale(max=20, concurrency=100),
    stores=("postgres",),
    tags=("orders",),
)
def orders_list(req: Request) -> dict[str, Any]:
    """List orders: your own, or all of them as an admin; `status` filters."""
    q: OrderQuery = req.args
    owner = None if req.user.is_admin else req.user.user_id
    with transaction() as cur:
        found, total = page(cur, owner, q.status, q.page, q.pageSize)
    return {"orders": found, "total": total, "page": q.page, "pageSize": q.pageSize}
