"""POST /api/auth/logout: revoke this session (or, with `everywhere`, every session)."""

from __future__ import annotations

from functions.auth import sessions
from functions.auth.models import LogoutRequest
from functions.auth.tokens import verify_refresh_token
from shopfn.errors import forbidden
from shopfn.registry import http
from shopfn.web import Request, Response


@http(
    "POST",
    "/api/auth/logout",
    auth="user",
    body=LogoutRequest,
    status=204,
    limit="auth",
    stores=("redis",),
    tags=("auth",),
)
def auth_logout(req: Request) -> Response:
    """Log out: the refresh token's family is revoked; access tokens expire on their own."""
    body: LogoutRequest = req.body
    claims = verify_refresh_token(body.refreshToken)
    if not req.user.may_act_for(claims.user_id):
        raise forbidden("this refresh token belongs to another user")
    if body.everywhere:
        sessions.revoke_user(claims.user_id)
    else:
        sessions.revoke_family(claims.family)
    return Response(None, status=204)
