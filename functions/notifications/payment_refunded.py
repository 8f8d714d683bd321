"""Consumer of shop.payment.refunded.v1: feed, email and push for the order's owner."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.notifications.notify import notify
from shopfn.registry import on_event

NAME = "notifications-payment-refunded"


@on_event("shop.payment.refunded.v1", stores=("redis", "aws"), name=NAME)
def notifications_payment_refunded(event: CloudEvent) -> None:
    """Tell the shopper their money was refunded."""
    notify(NAME, event)
