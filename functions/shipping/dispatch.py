"""POST /api/shipments/{orderId}/dispatch: the warehouse hands a parcel to the carrier."""

from __future__ import annotations

from typing import Any

from functions.saga.core import SHIPMENT_DISPATCHED
from functions.saga.db import transaction
from functions.saga.messages import answer, utc_now
from functions.shipping.core import DISPATCHED, SCHEDULED
from shopfn import outbox
from shopfn.errors import ApiError, not_found
from shopfn.registry import Scale, http
from shopfn.web import Request


@http(
    "POST",
    "/api/shipments/{orderId}/dispatch",
    auth="admin",
    limit="orders",
    scale=Scale(max=2),
    stores=("postgres",),
    emits=(SHIPMENT_DISPATCHED,),
    tags=("shipping",),
)
def shipping_dispatch(req: Request) -> dict[str, Any]:
    """Dispatch an order's scheduled shipment (admin); the order becomes SHIPPED."""
    from functions.shipping.store import dispatch

    order_id = req.params["orderId"]
    publish: list[str] = []
    with transaction(publish) as cur:
        found = dispatch(cur, order_id)
        if found is None:
            raise not_found(f"shipment of order {order_id}")
        user_id, tracking_id, before = found
        if before not in (SCHEDULED, DISPATCHED):
            raise ApiError(
                409, f"the shipment is {before}: it cannot be dispatched", code="conflict"
            )
        event = answer(
            SHIPMENT_DISPATCHED,
            order_id,
            {
                "orderId": order_id,
                "userId": user_id,
                "trackingId": tracking_id,
                "dispatchedAt": utc_now(),
            },
        )
        if before == SCHEDULED:
            publish.append(outbox.write(cur, event))
    return {"shipment": {"orderId": order_id, "trackingId": tracking_id, "status": DISPATCHED}}
