"""Who is calling: access-token verification and the role check every route declares."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shopfn.config import settings
from shopfn.errors import ApiError, forbidden, unauthorized
from shopfn.registry import ROLE_RANK, Role

ALGORITHM = "HS256"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller of a request."""

    user_id: str
    role: Role
    email: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_act_for(self, user_id: str) -> bool:
        """A user acts for themselves; an admin for anyone."""
        return self.is_admin or self.user_id == user_id


def jwt_secret() -> str:
    secret = settings().jwt_secret
    if len(secret) < 32:
        raise ApiError(503, "SHOPFN_JWT_SECRET is not set (32 characters or more)")
    return secret


def verify_access_token(token: str) -> Principal:
    """The principal of a valid access token; 401 for anything else."""
    import jwt

    cfg = settings()
    try:
        claims = jwt.decode(
            token,
            jwt_secret(),
            algorithms=[ALGORITHM],
            audience=cfg.jwt_audience,
            issuer=cfg.jwt_issuer,
            options={"require": ["exp", "iat", "sub", "typ"]},
        )
    except jwt.ExpiredSignatureError:
        raise unauthorized("access token expired") from None
    except jwt.InvalidTokenError as exc:
        raise unauthorized(f"invalid access token: {exc}") from None
    role = claims.get("role")
    if claims.get("typ") != "access" or role not in ROLE_RANK or role == "public":
        raise unauthorized("not an access token")
    return Principal(user_id=str(claims["sub"]), role=role, email=str(claims.get("email", "")))


def principal_from_headers(headers: Mapping[str, str] | Any) -> Principal | None:
    """The caller named by `Authorization: Bearer ...`, None when the header is absent."""
    value = headers.get("Authorization") or headers.get("authorization") or ""
    if not value:
        return None
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized("use 'Authorization: Bearer <access token>'")
    return verify_access_token(token.strip())


def require_role(principal: Principal | None, needed: Role) -> None:
    """Refuse with 401 (not logged in) or 403 (logged in, role too low)."""
    if needed == "public":
        return
    if principal is None:
        raise unauthorized()
    if ROLE_RANK[principal.role] < ROLE_RANK[needed]:
        raise forbidden(f"this needs the {needed} role")


def issue_access_token(principal: Principal, ttl: int | None = None) -> str:
    """A signed short-lived access token for `principal`."""
    import time
    import uuid

    import jwt

    cfg = settings()
    now = int(time.time())
    claims = {
        "sub": principal.user_id,
        "role": principal.role,
        "email": principal.email,
        "typ": "access",
        "iss": cfg.jwt_issuer,
        "aud": cfg.jwt_audience,
        "iat": now,
        "exp": now + (ttl if ttl is not None else cfg.access_token_ttl),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, jwt_secret(), algorithm=ALGORITHM)


# Unpaired UTF-16 surrogates no store can encode, and NUL, which PostgreSQL text and jsonb and
# BSON's field names refuse.
_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")


def storable_text(value: Any) -> Any:
    """`value` with every character no store can hold replaced by U+FFFD, recursively.

    JSON's `\\ud800` and `\\u0000` escapes decode to such characters; replacing them one for
    one keeps lengths (and so the declared bounds) while nothing downstream fails on them.
    """
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {storable_text(k): storable_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable_text(item) for item in value]
    return value
