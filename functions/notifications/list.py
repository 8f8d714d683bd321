"""GET /api/notifications/user/{userId}: a user's feed, newest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from functions.notifications.access import feed_owner
from functions.notifications.feed import read_feed
from shopfn.registry import http
from shopfn.web import Request


class FeedQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=50, ge=1, le=100)
    unread: bool = False  # only the unread ones


class Notification(BaseModel):
    id: str
    type: str
    title: str
    message: str
    read: bool
    createdAt: datetime


class Feed(BaseModel):
    userId: str
    notifications: list[Notification]
    unread: int


@http(
    "GET",
    "/api/notifications/user/{userId}",
    auth="user",
    query=FeedQuery,
    response=Feed,
    stores=("redis",),
    tags=("notifications",),
)
def notifications_list(req: Request) -> dict[str, Any]:
    """A user's notifications; a user reads only their own, an admin anyone's."""
    user_id = feed_owner(req)
    q: FeedQuery = req.args
    items, unread = read_feed(user_id, q.limit, unread_only=q.unread)
    return {"userId": user_id, "notifications": items, "unread": unread}
