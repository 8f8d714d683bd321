"""Consumer of shop.order.cancelled.v1: feed, email and push for the order's owner."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.notifications.notify import notify
from shopfn.registry import on_event

NAME = "notifications-order-cancelled"


@on_event("shop.order.cancelled.v1", stores=("redis", "aws"), name=NAME)
def notifications_order_cancelled(event: CloudEvent) -> None:
    """Tell the shopper their order was cancelled, and why."""
    notify(NAME, event)
