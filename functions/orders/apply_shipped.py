"""Consumer of the saga's MarkShipped: CONFIRMED -> SHIPPED, shop.order.shipped.v1."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.orders.store import count_business, ship
from functions.saga.core import MARK_SHIPPED, ORDER_SHIPPED
from functions.saga.db import transaction
from shopfn.events import event_data
from shopfn.registry import Scale, on_event


@on_event(MARK_SHIPPED, scale=Scale(max=5), stores=("postgres",), emits=(ORDER_SHIPPED,))
def orders_apply_shipped(event: CloudEvent) -> None:
    """Mark an order SHIPPED with its tracking id."""
    data = event_data(event)
    publish: list[str] = []
    with transaction(publish) as cur:
        order, changed = ship(cur, data["orderId"], data["trackingId"])
        if order is not None and changed:
            publish.append(f"{ORDER_SHIPPED}:{order['id']}")
    if order is None:
        raise LookupError(f"order {data['orderId']} not found")
    if changed:
        count_business(order, "shipped")
