"""POST /api/notifications/user/{userId}/read: mark every notification of a user read."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from functions.notifications.access import feed_owner
from functions.notifications.feed import mark_all_read
from shopfn.registry import http
from shopfn.web import Request


class AllMarked(BaseModel):
    userId: str
    marked: int
    unread: int


@http(
    "POST",
    "/api/notifications/user/{userId}/read",
    auth="user",
    response=AllMarked,
    stores=("redis",),
    tags=("notifications",),
)
def notifications_mark_all_read(req: Request) -> dict[str, Any]:
    """Mark all of a user's notifications read (the owner or an admin)."""
    user_id = feed_owner(req)
    return {"userId": user_id, "marked": mark_all_read(user_id), "unread": 0}
