"""GET /api/users/me: the caller's own account."""

from __future__ import annotations

from typing import Any

from functions.users.models import UserEnvelope, public_user
from functions.users.store import find_user
from shopfn.errors import not_found
from shopfn.registry import http
from shopfn.web import Request


@http(
    "GET",
    "/api/users/me",
    auth="user",
    response=UserEnvelope,
    limit="users",
    stores=("mongo",),
    tags=("users",),
)
def users_me(req: Request) -> dict[str, Any]:
    """The logged-in user's account."""
    user = find_user(req.user.user_id)
    if user is None:
        raise not_found("your account")
    return {"user": public_user(user)}
