"""POST /api/users: create an account and announce it."""

from __future__ import annotations

from typing import Any

from functions.users.models import UserCreate, UserEnvelope, public_user
from functions.users.passwords import hash_password
from functions.users.store import insert_user
from shopfn.events import new_event, publish
from shopfn.registry import Scale, http
from shopfn.web import Request, Response


@http(
    "POST",
    "/api/users",
    body=UserCreate,
    response=UserEnvelope,
    status=201,
    limit="users",
    scale=Scale(max=10),
    stores=("mongo",),
    emits=("shop.user.registered.v1",),
    tags=("users",),
)
def users_create(req: Request) -> Response:
    """Register a new user (role `user`)."""
    body: UserCreate = req.body
    doc = insert_user(body.name, body.email, hash_password(body.password), "user", body.phone)
    publish(
        new_event(
            "shop.user.registered.v1",
            {
                "userId": doc["_id"],
                "email": doc["email"],
                "name": doc["name"],
                "role": doc["role"],
                "registeredAt": doc["createdAt"],
            },
            subject=doc["_id"],
        )
    )
    user: dict[str, Any] = public_user(doc)
    return Response({"user": user}, status=201, headers={"Location": f"/api/users/{doc['_id']}"})
