"""POST /api/notifications/user/{userId}/{notificationId}/read: mark one notification read."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from functions.notifications.access import feed_owner
from functions.notifications.feed import mark_read, read_feed
from shopfn.errors import not_found
from shopfn.registry import http
from shopfn.web import Request


class Marked(BaseModel):
    userId: str
    id: str
    read: bool
    unread: int


@http(
    "POST",
    "/api/notifications/user/{userId}/{notificationId}/read",
    auth="user",
    response=Marked,
    stores=("redis",),
    tags=("notifications",),
)
def notifications_mark_read(req: Request) -> dict[str, Any]:
    """Mark one of a user's notifications read (the owner or an admin)."""
    user_id = feed_owner(req)
    notification_id = str(req.params["notificationId"])
    if not mark_read(user_id, notification_id):
        raise not_found(f"notification {notification_id}")
    _, unread = read_feed(user_id, 1)
    return {"userId": user_id, "id": notification_id, "read": True, "unread": unread}
