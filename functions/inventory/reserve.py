"""Consumer of the saga's ReserveItems: reserve the order's stock, all or nothing, once."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.inventory.store import reserve
from functions.saga.core import ITEMS_RESERVED, RESERVATION_FAILED, RESERVE_ITEMS
from functions.saga.db import transaction
from functions.saga.messages import answer, utc_now
from shopfn.events import event_data
from shopfn.registry import Scale, on_event


@on_event(
    RESERVE_ITEMS,
    scale=Scale(max=20, concurrency=50),
    stores=("postgres", "mongo"),
    emits=(ITEMS_RESERVED, RESERVATION_FAILED),
)
def inventory_reserve(event: CloudEvent) -> CloudEvent:
    """Reserve stock for an order; answer reserved or reservation-failed."""
    data = event_data(event)
    order_id = data["orderId"]
    with transaction() as cur:
        reserved, reason = reserve(cur, order_id, data["items"])
    if reserved:
        items = data["items"]
        return answer(
            ITEMS_RESERVED, order_id, {"orderId": order_id, "items": items, "reservedAt": utc_now()}
        )
    product = reason.removeprefix("out of stock: ") if reason.startswith("out of stock") else ""
    return answer(
        RESERVATION_FAILED, order_id, {"orderId": order_id, "reason": reason, "productId": product}
    )
