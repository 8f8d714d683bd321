"""Identity end to end: register, log in, refresh with rotation, log out, admin user management."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.e2e.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Gateway

pytestmark = pytest.mark.servers("mongo", "redis", "elasticsearch")
PASSWORD = "correct horse battery"


def register(gw: Gateway, **overrides: Any) -> dict[str, Any]:
    body = {"name": "Grace Hopper", "email": f"g-{uuid.uuid4().hex[:10]}@example.com"}
    body.update(password=PASSWORD, **overrides)
    resp = gw.http.post(f"{gw.url}/api/users", json=body, timeout=10)
    assert resp.status_code == 201, resp.text
    return dict(resp.json()["user"])


def login(gw: Gateway, email: str, password: str = PASSWORD, client: str = "") -> Any:
    headers = {"X-Forwarded-For": client or f"10.1.{uuid.uuid4().int % 250}.7"}
    return gw.http.post(
        f"{gw.url}/api/auth/login",
        json={"email": email, "password": password},
        headers=headers,
        timeout=10,
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def refresh(gw: Gateway, token: str) -> Any:
    return gw.http.post(f"{gw.url}/api/auth/refresh", json={"refreshToken": token}, timeout=10)


def test_register_login_me_refresh_logout(gateway: Gateway) -> None:
    user = register(gateway)
    tokens = login(gateway, user["email"]).json()
    assert tokens["tokenType"] == "Bearer" and tokens["expiresIn"] > 0
    me = gateway.http.get(f"{gateway.url}/api/users/me", headers=bearer(tokens["accessToken"]))
    assert me.status_code == 200 and me.json()["user"]["_id"] == user["_id"]

    rotated = refresh(gateway, tokens["refreshToken"])
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()
    assert new["refreshToken"] != tokens["refreshToken"]

    out = gateway.http.post(
        f"{gateway.url}/api/auth/logout",
        json={"refreshToken": new["refreshToken"]},
        headers=bearer(new["accessToken"]),
    )
    assert out.status_code == 204
    after = refresh(gateway, new["refreshToken"])
    assert after.status_code == 401
    assert after.headers["Content-Type"] == "application/problem+json"


def test_refresh_token_reuse_revokes_the_family(gateway: Gateway) -> None:
    user = register(gateway)
    first = login(gateway, user["email"]).json()["refreshToken"]
    second = refresh(gateway, first).json()["refreshToken"]
    stolen = refresh(gateway, first)
    assert stolen.status_code == 401
    assert "already used" in stolen.json()["detail"]
    # The legitimate holder's newer token dies with the family.
    assert refresh(gateway, second).status_code == 401
    # A fresh login starts a new family that works.
    assert refresh(gateway, login(gateway, user["email"]).json()["refreshToken"]).ok


def test_login_refuses_wrong_password_and_unknown_account_alike(gateway: Gateway) -> None:
    user = register(gateway)
    wrong = login(gateway, user["email"], "not the password")
    unknown = login(gateway, f"nobody-{uuid.uuid4().hex[:6]}@example.com")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_login_is_throttled_per_account(gateway: Gateway) -> None:
    user = register(gateway)
    codes = [login(gateway, user["email"], f"guess-{i}").status_code for i in range(5)]
    assert codes == [401] * 5
    # The right password from a new address is refused too: the account is locked for a while.
    blocked = login(gateway, user["email"])
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0


def test_login_is_throttled_per_client(gateway: Gateway) -> None:
    client = f"10.9.{uuid.uuid4().int % 250}.1"
    emails = [f"x-{uuid.uuid4().hex[:8]}@example.com" for _ in range(50)]
    codes = {login(gateway, email, client=client).status_code for email in emails}
    assert codes == {401}
    assert login(gateway, register(gateway)["email"], client=client).status_code == 429


def test_first_admin_comes_from_the_environment(gateway: Gateway) -> None:
    tokens = login(gateway, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert tokens.status_code == 200, tokens.text
    me = gateway.http.get(
        f"{gateway.url}/api/users/me", headers=bearer(tokens.json()["accessToken"])
    )
    assert me.json()["user"]["role"] == "admin"


def test_admin_manages_users(gateway: Gateway) -> None:
    user = register(gateway, phone="+1 555 0100")
    admin = gateway.auth("admin", "admin-1")
    url = f"{gateway.url}/api/users/{user['_id']}"
    assert gateway.http.get(url, headers=admin).json()["user"]["email"] == user["email"]
    promoted = gateway.http.patch(url, json={"role": "admin", "phone": None}, headers=admin)
    assert promoted.status_code == 200, promoted.text
    assert promoted.json()["user"]["role"] == "admin"
    assert "phone" not in promoted.json()["user"]
    assert gateway.http.delete(url, headers=admin).status_code == 204
    assert gateway.http.get(url, headers=admin).status_code == 404
    assert login(gateway, user["email"]).status_code == 401


def test_user_edits_own_profile_but_not_role_or_others(gateway: Gateway) -> None:
    user, other = register(gateway), register(gateway)
    mine = gateway.auth("user", user["_id"])
    url = f"{gateway.url}/api/users/{user['_id']}"
    renamed = gateway.http.patch(url, json={"name": "Amazing Grace"}, headers=mine)
    assert renamed.json()["user"]["name"] == "Amazing Grace"
    assert gateway.http.patch(url, json={"role": "admin"}, headers=mine).status_code == 403
    other_url = f"{gateway.url}/api/users/{other['_id']}"
    assert gateway.http.get(other_url, headers=mine).status_code == 403
    assert gateway.http.patch(other_url, json={"name": "x"}, headers=mine).status_code == 403


def test_password_change_revokes_sessions(gateway: Gateway) -> None:
    user = register(gateway)
    tokens = login(gateway, user["email"]).json()
    changed = gateway.http.patch(
        f"{gateway.url}/api/users/{user['_id']}",
        json={"password": "a brand new password"},
        headers=bearer(tokens["accessToken"]),
    )
    assert changed.status_code == 200
    assert refresh(gateway, tokens["refreshToken"]).status_code == 401
    assert login(gateway, user["email"], "a brand new password").status_code == 200


def test_guest_token_browses_but_cannot_act_as_user(gateway: Gateway) -> None:
    guest = gateway.http.post(f"{gateway.url}/api/auth/guest")
    assert guest.status_code == 201 and guest.json()["role"] == "guest"
    me = gateway.http.get(
        f"{gateway.url}/api/users/me", headers=bearer(guest.json()["accessToken"])
    )
    assert me.status_code == 403
