"""Consumer of the saga's CancelShipment: cancel the order's shipment unless it has left."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga.core import CANCEL_SHIPMENT, SHIPMENT_CANCEL_REJECTED, SHIPMENT_CANCELLED
from functions.saga.db import transaction
from functions.saga.messages import answer, utc_now
from functions.shipping.store import cancel
from shopfn.events import event_data
from shopfn.registry import Scale, on_event


@on_event(
    CANCEL_SHIPMENT,
    scale=Scale(max=5, concurrency=50),
    stores=("postgres",),
    emits=(SHIPMENT_CANCELLED, SHIPMENT_CANCEL_REJECTED),
)
def shipping_cancel(event: CloudEvent) -> CloudEvent:
    """Cancel an order's shipment; answer cancelled, or cancel-rejected once dispatched."""
    data = event_data(event)
    order_id, user_id = data["orderId"], data["userId"]
    with transaction() as cur:
        cancelled, tracking_id = cancel(cur, order_id, user_id)
    base = {"orderId": order_id, "userId": user_id, "trackingId": tracking_id}
    if not cancelled:
        data = {**base, "reason": "the shipment was already dispatched"}
        return answer(SHIPMENT_CANCEL_REJECTED, order_id, data)
    return answer(SHIPMENT_CANCELLED, order_id, {**base, "cancelledAt": utc_now()})
