"""RBAC over every route in the registry, and forged or misused tokens.

Each HTTP function declares the role it needs; this walks all of them through the gateway as
anonymous, guest, user, admin and, where a path names a user, as another user.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
import warnings
from typing import Any

import jwt
import pytest

from shopfn import registry
from shopfn.config import settings
from shopfn.registry import ROLE_RANK, FunctionSpec
from tests.e2e.conftest import Gateway

pytestmark = pytest.mark.servers("mongo", "redis", "elasticsearch")
ME = "rbac-user-1"
OTHER = "rbac-user-2"
REFUSED = {401, 403}


def http_routes() -> list[FunctionSpec]:
    return [s for s in registry.discover().values() if s.kind == "http"]


def owner_param(spec: FunctionSpec) -> str | None:
    """The path parameter naming the user whose resource this is, if any."""
    if "{userId}" in spec.path:
        return "userId"
    if spec.path.startswith("/api/users/{id}"):
        return "id"
    return None


def url_for(gw: Gateway, spec: FunctionSpec, user: str) -> str:
    path = spec.path
    owner = owner_param(spec)
    for name in [p.strip("{}") for p in path.split("/") if p.startswith("{")]:
        value = user if name == owner else f"rbac-{uuid.uuid4().hex[:8]}"
        path = path.replace("{" + name + "}", value)
    return gw.url + path


# Valid bodies, so that an ownership refusal is not hidden behind a 422.
VALID_BODIES: dict[str, dict[str, Any]] = {"users-update": {"name": "Someone Else"}}


def call(gw: Gateway, spec: FunctionSpec, headers: dict[str, str], user: str = ME) -> int:
    kwargs: dict[str, Any] = {"headers": headers, "timeout": 30}
    if spec.method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = VALID_BODIES.get(spec.name, {})
    return gw.http.request(spec.method, url_for(gw, spec, user), **kwargs).status_code


@pytest.mark.parametrize("spec", http_routes(), ids=lambda s: s.name)
def test_every_route_allows_exactly_its_declared_roles(
    gateway: Gateway, spec: FunctionSpec
) -> None:
    needed = ROLE_RANK[spec.auth]
    anonymous = call(gateway, spec, {})
    assert (anonymous == 401) if needed > 0 else (anonymous not in REFUSED), anonymous
    for role in ("guest", "user", "admin"):
        status = call(gateway, spec, gateway.auth(role, ME if role != "admin" else "rbac-admin"))
        if ROLE_RANK[role] < needed:
            assert status == 403, (role, status)
        else:
            assert status not in REFUSED, (role, status)


@pytest.mark.parametrize("spec", [s for s in http_routes() if owner_param(s)], ids=lambda s: s.name)
def test_a_user_cannot_reach_another_users_resources(gateway: Gateway, spec: FunctionSpec) -> None:
    if ROLE_RANK[spec.auth] > ROLE_RANK["user"]:
        pytest.skip("admin-only route: covered by the role matrix")
    if spec.body is not None and spec.name not in VALID_BODIES:
        pytest.skip("no valid body known here: body validation would answer first")
    assert call(gateway, spec, gateway.auth("user", ME), user=OTHER) == 403
    assert call(gateway, spec, gateway.auth("user", ME), user=ME) not in REFUSED
    assert call(gateway, spec, gateway.auth("admin", "rbac-admin"), user=OTHER) not in REFUSED


# --- token attacks -----------------------------------------------------------------------


def claims(**overrides: Any) -> dict[str, Any]:
    cfg, now = settings(), int(time.time())
    base = {
        "sub": "attacker",
        "role": "admin",
        "email": "",
        "typ": "access",
        "iss": cfg.jwt_issuer,
        "aud": cfg.jwt_audience,
        "iat": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
    }
    return {**base, **overrides}


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def hs512(payload: dict[str, Any], secret: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyJWT warns the test secret is short for SHA-512
        return jwt.encode(payload, secret, algorithm="HS512")


def forged_tokens() -> dict[str, str]:
    secret = settings().jwt_secret
    return {
        "bad signature": jwt.encode(claims(), "not-the-secret-" + "y" * 40, algorithm="HS256"),
        "alg none": f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims())}.",
        "expired": jwt.encode(claims(exp=int(time.time()) - 10), secret, algorithm="HS256"),
        "wrong audience": jwt.encode(claims(aud="someone-else"), secret, algorithm="HS256"),
        "wrong issuer": jwt.encode(claims(iss="evil"), secret, algorithm="HS256"),
        "refresh as access": jwt.encode(
            claims(typ="refresh", fam="f", role="admin"), secret, algorithm="HS256"
        ),
        "unknown role": jwt.encode(claims(role="root"), secret, algorithm="HS256"),
        "HS512 with the secret": hs512(claims(), secret),
        "garbage": "not.a.token",
    }


ATTACKS = [
    "bad signature",
    "alg none",
    "expired",
    "wrong audience",
    "wrong issuer",
    "refresh as access",
    "unknown role",
    "HS512 with the secret",
    "garbage",
]


def test_every_attack_is_listed(platform: None) -> None:
    # Built lazily (the secret is set by the platform fixture); this keeps the list honest.
    assert list(forged_tokens()) == ATTACKS


@pytest.mark.parametrize("name", ATTACKS)
def test_forged_access_tokens_are_refused(gateway: Gateway, name: str) -> None:
    token = forged_tokens()[name]
    resp = gateway.http.get(
        f"{gateway.url}/api/users", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert resp.status_code == 401, resp.text
    assert resp.headers["Content-Type"] == "application/problem+json"
    assert resp.headers.get("WWW-Authenticate") == "Bearer"


def test_an_access_token_is_not_a_refresh_token(gateway: Gateway) -> None:
    resp = gateway.http.post(
        f"{gateway.url}/api/auth/refresh", json={"refreshToken": gateway.token("user")}
    )
    assert resp.status_code == 401
    assert "refresh token" in resp.json()["detail"]


def test_a_forged_refresh_token_is_refused(gateway: Gateway) -> None:
    forged = jwt.encode(
        claims(typ="refresh", fam=uuid.uuid4().hex), "not-the-secret-" + "z" * 40, "HS256"
    )
    resp = gateway.http.post(f"{gateway.url}/api/auth/refresh", json={"refreshToken": forged})
    assert resp.status_code == 401
    # Correctly signed but naming a family that never existed: refused as well.
    unknown = jwt.encode(claims(typ="refresh", fam="nope"), settings().jwt_secret, "HS256")
    resp = gateway.http.post(f"{gateway.url}/api/auth/refresh", json={"refreshToken": unknown})
    assert resp.status_code == 401
