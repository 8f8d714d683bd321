"""Consumer of the saga's CancelOrder: -> CANCELLED with the reason, shop.order.cancelled.v1."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.orders.store import CANCELLED, cancel, cancelled_event, count_business
from functions.saga.core import CANCEL_ORDER, ORDER_CANCELLED
from functions.saga.db import relay, transaction
from shopfn.events import event_data
from shopfn.registry import Scale, on_event


@on_event(
    CANCEL_ORDER,
    scale=Scale(max=10, concurrency=50),
    stores=("postgres",),
    emits=(ORDER_CANCELLED,),
)
def orders_apply_cancel(event: CloudEvent) -> CloudEvent | None:
    """Cancel an order for the saga; a repeated request answers with shop.order.cancelled.v1."""
    data = event_data(event)
    with transaction() as cur:
        order, changed = cancel(cur, data["orderId"], data["reason"])
    if order is None:
        raise LookupError(f"order {data['orderId']} not found")
    if changed:
        count_business(order, "cancelled")
        relay([f"{ORDER_CANCELLED}:{order['id']}"])
        return None
    # Shipped orders are never cancelled: the saga only asks after the shipment was cancelled.
    return cancelled_event(order) if order["status"] == CANCELLED else None
