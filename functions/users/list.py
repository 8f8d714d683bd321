"""GET /api/users: every user, newest first (admin)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from shopfn.registry import http
from shopfn.web import Request

from functions.users.models import UserList, public_user
from functions.users.store import users


class UserListQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: int = Field(default=1, ge=1, le=10_000)
    pageSize: int = Field(default=20, ge=1, le=100)


@http(
    "GET",
    "/api/users",
    auth="admin",
    query=UserListQuery,
    response=UserList,
    limit="users",
    stores=("mongo",),
    tags=("users",),
)
def users_list(req: Request) -> dict[str, Any]:
    """List users, newest first."""
    q: UserListQuery = req.args
    cursor = (
        users()
        .find({}, {"passwordHash": 0})
        .sort([("createdAt", -1), ("_id", 1)])
        .skip((q.page - 1) * q.pageSize)
        .limit(q.pageSize)
    )
    return {
        "users": [public_user(doc) for doc in cursor],
        "total": users().count_documents({}),
        "page": q.page,
        "pageSize": q.pageSize,
    }
