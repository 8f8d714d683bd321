"""POST /api/auth/guest: a short-lived guest token for browsing and a cart before signing up."""

from __future__ import annotations

from typing import Any

from functions.auth.models import GuestToken
from functions.auth.tokens import new_id
from shopfn.config import settings
from shopfn.registry import http
from shopfn.security import Principal, issue_access_token
from shopfn.web import Request


@http(
    "POST",
    "/api/auth/guest",
    response=GuestToken,
    status=201,
    limit="auth",
    tags=("auth",),
)
def auth_guest(req: Request) -> dict[str, Any]:
    """Start a guest session (role `guest`, no refresh token)."""
    principal = Principal(user_id=f"guest-{new_id()}", role="guest")
    return {
        "accessToken": issue_access_token(principal),
        "expiresIn": settings().access_token_ttl,
    }
