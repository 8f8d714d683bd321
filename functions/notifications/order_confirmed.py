"""Consumer of shop.order.confirmed.v1: feed, email and push for the order's owner."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.notifications.notify import notify
from shopfn.registry import on_event

NAME = "notifications-order-confirmed"


@on_event("shop.order.confirmed.v1", stores=("redis", "aws"), name=NAME)
def notifications_order_confirmed(event: CloudEvent) -> None:
    """Tell the shopper their order is confirmed."""
    notify(NAME, event)
