"""GET /api/users: every user, newest first (admin)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from functions.users.models import UserList, public_user
from functions.users.store import page_of_users
from shopfn.registry import http
from shopfn.web import Request


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
    found, total = page_of_users(q.page, q.pageSize)
    return {
        "users": [public_user(doc) for doc in found],
        "total": total,
        "page": q.page,
        "pageSize": q.pageSize,
    }
