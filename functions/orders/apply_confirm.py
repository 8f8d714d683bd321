"""Consumer of the saga's ConfirmOrder: PENDING -> CONFIRMED, shop.order.confirmed.v1."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.orders.store import (
    CANCELLED,
    cancelled_event,
    confirm,
    confirmed_event,
    count_business,
)
from functions.saga.core import CONFIRM_ORDER, ORDER_CANCELLED, ORDER_CONFIRMED
from functions.saga.db import relay, transaction
from shopfn.events import event_data
from shopfn.registry import Scale, on_event


@on_event(
    CONFIRM_ORDER,
    scale=Scale(max=10, concurrency=50),
    stores=("postgres",),
    emits=(ORDER_CONFIRMED, ORDER_CANCELLED),
)
def orders_apply_confirm(event: CloudEvent) -> CloudEvent | None:
    """Confirm an order for the saga; a repeated request answers with the order's fact again."""
    data = event_data(event)
    with transaction() as cur:
        order, changed = confirm(cur, data["orderId"], data.get("trackingId", ""))
    if order is None:
        raise LookupError(f"order {data['orderId']} not found")  # retried: it may be in flight
    if changed:
        count_business(order, "confirmed")
        relay([f"{ORDER_CONFIRMED}:{order['id']}"])
        return None
    return cancelled_event(order) if order["status"] == CANCELLED else confirmed_event(order)
