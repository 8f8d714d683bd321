"""GET /api/users/{id}: one account (its owner or an admin)."""

from __future__ import annotations

from typing import Any

from functions.users.access import require_self_or_admin
from functions.users.models import UserEnvelope, public_user
from functions.users.store import find_user
from shopfn.errors import not_found
from shopfn.registry import http
from shopfn.web import Request


@http(
    "GET",
    "/api/users/{id}",
    auth="user",
    response=UserEnvelope,
    limit="users",
    stores=("mongo",),
    tags=("users",),
)
def users_get(req: Request) -> dict[str, Any]:
    """Get an account: your own, or any as an admin."""
    user_id = req.params["id"]
    require_self_or_admin(req.user, user_id)
    user = find_user(user_id)
    if user is None:
        raise not_found(f"user {user_id}")
    return {"user": public_user(user)}
