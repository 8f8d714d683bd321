"""Who may see or act on an order: its owner, or an admin."""

from __future__ import annotations

from typing import Any

from shopfn.errors import not_found
from shopfn.security import Principal


def visible(order: dict[str, Any] | None, principal: Principal, order_id: str) -> dict[str, Any]:
    """The order when `principal` may see it; 404 otherwise (no hint that it exists)."""
    if order is None or not principal.may_act_for(order["userId"]):
        raise not_found(f"order {order_id}")
    return order
