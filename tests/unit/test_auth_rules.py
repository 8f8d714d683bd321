"""Pure auth rules: refresh tokens, throttling policy, who may change which account."""

from __future__ import annotations

import time
from collections.abc import Iterator

import jwt
import pytest

from functions.auth import throttle
from functions.auth.tokens import issue_refresh_token, verify_refresh_token
from functions.users.access import check_update, require_self_or_admin
from functions.users.models import UserUpdate
from shopfn import config
from shopfn.errors import ApiError
from shopfn.security import Principal, issue_access_token

SECRET = "unit-test-secret-" + "s" * 40


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SHOPFN_JWT_SECRET", SECRET)
    config.reload()
    yield
    monkeypatch.undo()
    config.reload()


def test_refresh_token_round_trip() -> None:
    expires = int(time.time()) + 60
    claims = verify_refresh_token(issue_refresh_token("u1", "fam1", "jti1", expires))
    assert (claims.user_id, claims.family, claims.jti, claims.expires_at) == (
        "u1",
        "fam1",
        "jti1",
        expires,
    )


def test_an_access_token_is_not_a_refresh_token() -> None:
    access = issue_access_token(Principal("u1", "user"))
    with pytest.raises(ApiError) as refused:
        verify_refresh_token(access)
    assert refused.value.status == 401


@pytest.mark.parametrize("kind", ["foreign signature", "expired", "garbage"])
def test_bad_refresh_tokens_are_401(kind: str) -> None:
    token = {
        "foreign signature": lambda: jwt.encode(
            {"sub": "u", "typ": "refresh"}, "other-secret-" + "o" * 40, "HS256"
        ),
        "expired": lambda: issue_refresh_token("u1", "f", "j", int(time.time()) - 5),
        "garbage": lambda: "x.y.z",
    }[kind]()
    with pytest.raises(ApiError) as refused:
        verify_refresh_token(token)
    assert refused.value.status == 401


def test_throttle_limits_account_before_client() -> None:
    policy = throttle.ThrottlePolicy(per_account=3, per_client=10, window=60)
    assert throttle.blocked_by((2, 9), policy) is None
    assert throttle.blocked_by((3, 0), policy) == "account"
    assert throttle.blocked_by((0, 10), policy) == "client"


def test_account_keys_ignore_case_and_hide_the_address() -> None:
    key = throttle.account_key(" Ada@Example.com ")
    assert key == throttle.account_key("ada@example.com")
    assert "ada" not in key


def test_users_act_for_themselves_admins_for_anyone() -> None:
    require_self_or_admin(Principal("u1", "user"), "u1")
    require_self_or_admin(Principal("a1", "admin"), "u1")
    with pytest.raises(ApiError):
        require_self_or_admin(Principal("u1", "user"), "u2")


def test_only_admins_change_roles_and_never_their_own() -> None:
    promote = UserUpdate.model_validate({"role": "admin"})
    with pytest.raises(ApiError):
        check_update(Principal("u1", "user"), "u1", promote)
    check_update(Principal("a1", "admin"), "u1", promote)
    demote = UserUpdate.model_validate({"role": "user"})
    with pytest.raises(ApiError):
        check_update(Principal("a1", "admin"), "a1", demote)


@pytest.mark.parametrize("body", [{}, {"name": None}, {"role": None}, {"role": "root"}])
def test_user_updates_must_change_something_valid(body: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        UserUpdate.model_validate(body)
