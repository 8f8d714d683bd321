"""Consumer of the saga's ReleaseItems: give the order's reserved stock back, once."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.inventory.store import release
from functions.saga.core import ITEMS_RELEASED, RELEASE_ITEMS
from functions.saga.db import transaction
from functions.saga.messages import answer, utc_now
from shopfn.events import event_data
from shopfn.registry import Scale, on_event


@on_event(
    RELEASE_ITEMS,
    scale=Scale(max=10, concurrency=50),
    stores=("postgres", "mongo"),
    emits=(ITEMS_RELEASED,),
)
def inventory_release(event: CloudEvent) -> CloudEvent:
    """Release an order's reservation (a tombstone when it was never made)."""
    order_id = event_data(event)["orderId"]
    with transaction() as cur:
        restocked = release(cur, order_id)
    data = {"orderId": order_id, "restocked": restocked, "releasedAt": utc_now()}
    return answer(ITEMS_RELEASED, order_id, data)
