"""Consumer of shop.user.registered.v1: a welcome on the feed, by email and by push."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.notifications import contacts
from functions.notifications.notify import notify
from shopfn.events import event_data
from shopfn.registry import on_event

NAME = "notifications-user-registered"


@on_event("shop.user.registered.v1", stores=("redis", "aws"), name=NAME)
def notifications_user_registered(event: CloudEvent) -> None:
    """Remember the new user's address, then welcome them."""
    data = event_data(event)
    contacts.remember(str(data["userId"]), email=str(data["email"]), name=str(data["name"]))
    notify(NAME, event)
