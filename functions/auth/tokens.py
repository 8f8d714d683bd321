"""Refresh tokens: signed JWTs naming a session family, never accepted as access tokens."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt

from shopfn.config import settings
from shopfn.errors import unauthorized
from shopfn.security import ALGORITHM, Principal, issue_access_token, jwt_secret

REFRESH = "refresh"


@dataclass(frozen=True)
class RefreshClaims:
    """What a verified refresh token says: whose, which family, which link of the chain."""

    user_id: str
    family: str
    jti: str
    expires_at: int


def new_id() -> str:
    return uuid.uuid4().hex


def issue_refresh_token(user_id: str, family: str, jti: str, expires_at: int) -> str:
    cfg = settings()
    claims = {
        "sub": user_id,
        "fam": family,
        "jti": jti,
        "typ": REFRESH,
        "iss": cfg.jwt_issuer,
        "aud": cfg.jwt_audience,
        "iat": int(time.time()),
        "exp": expires_at,
    }
    return jwt.encode(claims, jwt_secret(), algorithm=ALGORITHM)


def verify_refresh_token(token: str) -> RefreshClaims:
    """The claims of a valid refresh token; 401 for an access token or anything forged."""
    cfg = settings()
    try:
        claims = jwt.decode(
            token,
            jwt_secret(),
            algorithms=[ALGORITHM],
            audience=cfg.jwt_audience,
            issuer=cfg.jwt_issuer,
            options={"require": ["exp", "iat", "sub", "typ", "jti", "fam"]},
        )
    except jwt.ExpiredSignatureError:
        raise unauthorized("refresh token expired") from None
    except jwt.InvalidTokenError as exc:
        raise unauthorized(f"invalid refresh token: {exc}") from None
    if claims.get("typ") != REFRESH:
        raise unauthorized("not a refresh token")
    return RefreshClaims(
        user_id=str(claims["sub"]),
        family=str(claims["fam"]),
        jti=str(claims["jti"]),
        expires_at=int(claims["exp"]),
    )


def token_pair(principal: Principal, refresh_token: str) -> dict[str, object]:
    """The body every login and refresh answers with."""
    return {
        "accessToken": issue_access_token(principal),
        "refreshToken": refresh_token,
        "tokenType": "Bearer",
        "expiresIn": settings().access_token_ttl,
    }
