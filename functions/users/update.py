"""PATCH /api/users/{id}: change an account (its owner or an admin; roles: admin only)."""

from __future__ import annotations

from typing import Any

from functions.auth.sessions import revoke_user
from functions.users.access import check_update
from functions.users.models import UserEnvelope, UserUpdate, public_user
from functions.users.passwords import hash_password
from functions.users.store import update_user
from shopfn.errors import not_found
from shopfn.registry import http
from shopfn.web import Request


@http(
    "PATCH",
    "/api/users/{id}",
    auth="user",
    body=UserUpdate,
    response=UserEnvelope,
    limit="users",
    stores=("mongo", "redis"),
    tags=("users",),
)
def users_update(req: Request) -> dict[str, Any]:
    """Update an account; a new password or role logs the account out everywhere."""
    user_id, body = req.params["id"], req.body
    check_update(req.user, user_id, body)
    changes: dict[str, Any] = body.model_dump(include=body.model_fields_set, exclude={"password"})
    if "email" in changes:
        changes["email"] = changes["email"].lower()
    if body.password is not None:
        changes["passwordHash"] = hash_password(body.password)
    user = update_user(user_id, changes)
    if user is None:
        raise not_found(f"user {user_id}")
    if body.password is not None or body.role is not None:
        revoke_user(user_id)
    return {"user": public_user(user)}
