"""POST /api/auth/refresh: trade a refresh token for a new pair (rotation, reuse detection)."""

from __future__ import annotations

from typing import Any

from functions.auth import sessions
from functions.auth.models import RefreshRequest, TokenPair
from functions.auth.tokens import issue_refresh_token, token_pair, verify_refresh_token
from functions.users.store import find_user
from shopfn.errors import unauthorized
from shopfn.registry import http
from shopfn.security import Principal
from shopfn.web import Request

REFUSALS = {
    "reused": "refresh token already used: every session of this login is revoked",
    "revoked": "this session was revoked; log in again",
    "missing": "unknown or expired session; log in again",
    "wrong-user": "refresh token does not belong to this session",
}


@http(
    "POST",
    "/api/auth/refresh",
    body=RefreshRequest,
    response=TokenPair,
    limit="auth",
    stores=("mongo", "redis"),
    tags=("auth",),
)
def auth_refresh(req: Request) -> dict[str, Any]:
    """Rotate a refresh token; a token presented twice revokes its whole family."""
    body: RefreshRequest = req.body
    claims = verify_refresh_token(body.refreshToken)
    outcome, next_jti = sessions.rotate(claims.family, claims.jti, claims.user_id)
    if outcome != "ok":
        raise unauthorized(REFUSALS[outcome])
    user = find_user(claims.user_id)
    if user is None:
        sessions.revoke_family(claims.family)
        raise unauthorized("the account no longer exists")
    principal = Principal(user_id=user["_id"], role=user["role"], email=user["email"])
    refresh = issue_refresh_token(user["_id"], claims.family, next_jti, claims.expires_at)
    return token_pair(principal, refresh)
