"""Consumer of shop.user.registered.v1: a welcome on the new user's feed."""

from __future__ import annotations

from cloudevents.http import CloudEvent
from shopfn.events import event_data
from shopfn.registry import on_event

from functions.notifications.feed import add_once
from functions.notifications.templates import render

NAME = "notifications-user-registered"


@on_event("shop.user.registered.v1", stores=("redis",), name=NAME)
def notifications_user_registered(event: CloudEvent) -> None:
    """Welcome a new user on their feed."""
    data = event_data(event)
    title, body = render(event["type"], data)
    add_once(NAME, event, data["userId"], title, body)
