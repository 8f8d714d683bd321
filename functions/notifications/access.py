"""Who may touch a feed: its owner, or an admin."""

from __future__ import annotations

from shopfn.errors import forbidden
from shopfn.web import Request


def feed_owner(req: Request) -> str:
    """The `{userId}` of the path, after checking the caller may act for that user."""
    user_id = str(req.params["userId"])
    if not req.user.may_act_for(user_id):
        raise forbidden("you may see and change only your own notifications")
    return user_id
