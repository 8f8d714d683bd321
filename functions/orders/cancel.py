"""POST /api/orders/{id}/cancel: ask to cancel an order that has not shipped.

Cancelling is a request to the saga, not a status write: whatever step the saga is in, it must
undo what was done (cancel the shipment, refund, release the stock) before the order becomes
CANCELLED. So this answers 202 with the order as it is now; the order turns CANCELLED when the
compensations are done, or stays on its way when the parcel left first. Checkout starts the
saga in the order's own transaction; an order without a saga (written by other means) answers
409 with Retry-After: the saga could not act on a cancellation for an order it does not know.
"""

from __future__ import annotations

from datetime import UTC, datetime

from functions.orders.access import visible
from functions.orders.models import OrderEnvelope
from functions.orders.store import CANCELLED, SHIPPED, fetch
from functions.saga.core import CANCELLATION_REQUESTED
from functions.saga.db import transaction
from functions.saga.store import saga_started
from shopfn import outbox
from shopfn.errors import ApiError
from shopfn.events import new_event
from shopfn.registry import Scale, http
from shopfn.web import Request, Response


@http(
    "POST",
    "/api/orders/{id}/cancel",
    auth="user",
    response=OrderEnvelope,
    status=202,
    limit="orders",
    scale=Scale(max=5),
    stores=("postgres",),
    emits=(CANCELLATION_REQUESTED,),
    tags=("orders",),
)
def orders_cancel(req: Request) -> Response:
    """Cancel your order (admin: any) while it has not shipped; 202, the saga compensates."""
    order_id = req.params["id"]
    publish: list[str] = []
    with transaction(publish) as cur:
        order = visible(fetch(cur, order_id, lock=True), req.user, order_id)
        if order["status"] == SHIPPED:
            raise ApiError(
                409, "the order has shipped: it can no longer be cancelled", code="conflict"
            )
        if order["status"] == CANCELLED:
            # Asking twice is answered like the first time: the one documented status.
            return Response({"order": order}, status=202)
        if not saga_started(cur, order_id):
            # The saga would not know the order yet and would drop the request.
            raise ApiError(
                409,
                "the order is still being placed; try again in a moment",
                code="order-not-ready",
                headers={"Retry-After": "1"},
            )
        who = "an admin" if req.user.user_id != order["userId"] else "customer"
        event = new_event(
            CANCELLATION_REQUESTED,
            {
                "orderId": order_id,
                "userId": order["userId"],
                "reason": f"cancelled by {who}",
                "requestedBy": req.user.user_id,
                "requestedAt": datetime.now(UTC).isoformat(),
            },
            subject=order_id,
        )
        publish.append(outbox.write(cur, event))
    return Response({"order": order}, status=202)
