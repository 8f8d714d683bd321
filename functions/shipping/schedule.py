"""Consumer of the saga's ScheduleShipping: one shipment per order, with a tracking id."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga.core import SCHEDULE_SHIPPING, SHIPMENT_FAILED, SHIPMENT_SCHEDULED
from functions.saga.db import transaction
from functions.saga.messages import answer, utc_now
from functions.shipping.store import schedule
from shopfn.events import event_data
from shopfn.registry import Scale, on_event


@on_event(
    SCHEDULE_SHIPPING,
    scale=Scale(max=10, concurrency=50),
    stores=("postgres",),
    emits=(SHIPMENT_SCHEDULED, SHIPMENT_FAILED),
)
def shipping_schedule(event: CloudEvent) -> CloudEvent:
    """Schedule an order's shipment; answer scheduled (tracking id) or failed."""
    data = event_data(event)
    order_id, user_id = data["orderId"], data["userId"]
    with transaction() as cur:
        scheduled, reason, tracking_id = schedule(cur, order_id, user_id, data["address"])
    base = {"orderId": order_id, "userId": user_id}
    if not scheduled:
        return answer(SHIPMENT_FAILED, order_id, {**base, "reason": reason})
    data = {**base, "trackingId": tracking_id, "scheduledAt": utc_now()}
    return answer(SHIPMENT_SCHEDULED, order_id, data)
