"""Consumer of shop.order.shipped.v1: feed, email and push for the order's owner."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.notifications.notify import notify
from shopfn.registry import on_event

NAME = "notifications-order-shipped"


@on_event("shop.order.shipped.v1", stores=("redis", "aws"), name=NAME)
def notifications_order_shipped(event: CloudEvent) -> None:
    """Tell the shopper their order shipped, with its tracking id."""
    notify(NAME, event)
