"""POST /api/auth/login: e-mail and password for an access and a refresh token."""

from __future__ import annotations

from typing import Any

from functions.auth import sessions, throttle
from functions.auth.models import LoginRequest, TokenPair
from functions.auth.tokens import issue_refresh_token, token_pair
from functions.users.passwords import verify_password
from functions.users.store import find_by_email
from shopfn.errors import unauthorized
from shopfn.registry import http
from shopfn.security import Principal
from shopfn.web import Request


@http(
    "POST",
    "/api/auth/login",
    body=LoginRequest,
    response=TokenPair,
    limit="auth",
    stores=("mongo", "redis"),
    tags=("auth",),
)
def auth_login(req: Request) -> dict[str, Any]:
    """Log in; failures are throttled per account and per client."""
    body: LoginRequest = req.body
    policy = throttle.ThrottlePolicy.from_settings()
    throttle.check(body.email, req.client, policy)
    user = find_by_email(body.email)
    # The same answer for an unknown e-mail and a wrong password: no account enumeration.
    if user is None or not verify_password(user["passwordHash"], body.password):
        throttle.record_failure(body.email, req.client, policy)
        raise unauthorized("wrong e-mail or password")
    throttle.record_success(body.email)
    principal = Principal(user_id=user["_id"], role=user["role"], email=user["email"])
    family, jti, expires_at = sessions.start_family(principal.user_id)
    return token_pair(principal, issue_refresh_token(principal.user_id, family, jti, expires_at))
