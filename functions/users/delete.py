"""DELETE /api/users/{id}: remove an account and revoke its sessions (admin)."""

from __future__ import annotations

from datetime import UTC, datetime

from functions.auth.sessions import revoke_user
from functions.users.store import delete_user
from shopfn.errors import forbidden, not_found
from shopfn.events import new_event, publish
from shopfn.registry import http
from shopfn.web import Request, Response


@http(
    "DELETE",
    "/api/users/{id}",
    auth="admin",
    status=204,
    limit="users",
    stores=("mongo", "redis"),
    emits=("shop.user.deleted.v1",),
    tags=("users",),
)
def users_delete(req: Request) -> Response:
    """Delete an account (admin); its refresh tokens stop working at once."""
    user_id = req.params["id"]
    if user_id == req.user.user_id:
        raise forbidden("an admin cannot delete their own account")
    if not delete_user(user_id):
        raise not_found(f"user {user_id}")
    revoke_user(user_id)
    data = {"userId": user_id, "deletedAt": datetime.now(UTC).isoformat()}
    publish(new_event("shop.user.deleted.v1", data, subject=user_id))
    return Response(None, status=204)
