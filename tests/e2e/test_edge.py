"""The edge through the emulator's gateway: CORS preflight, security headers, 429s, metrics."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from shopfn import config
from shopfn.metrics import REGISTRY
from tests.e2e.conftest import Gateway

pytestmark = pytest.mark.timeout(120)
ORIGIN = "http://localhost:5173"


@pytest.fixture
def limits_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Rate limiting on even if the session turned it off (SHOPFN_RATELIMIT=off).

    The in-process gateway reads the settings on each request, so a reload is enough.
    """
    monkeypatch.delenv("SHOPFN_RATELIMIT", raising=False)
    config.reload()
    yield monkeypatch
    monkeypatch.undo()
    config.reload()


@pytest.fixture
def tight_user_limit(limits_on: pytest.MonkeyPatch) -> int:
    """The users group at 3 per minute."""
    limits_on.setenv("SHOPFN_RATELIMIT_USERS", "3/min")
    config.reload()
    return 3


def test_cors_preflight_through_the_gateway(gateway: Gateway) -> None:
    resp = gateway.http.options(
        f"{gateway.url}/api/cart/items/p-1",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
        timeout=10,
    )
    assert resp.status_code == 204, resp.text
    assert resp.headers["Access-Control-Allow-Origin"] in ("*", ORIGIN)
    assert set(resp.headers["Access-Control-Allow-Methods"].split(", ")) == {"PUT", "DELETE"}
    assert "Authorization" in resp.headers["Access-Control-Allow-Headers"]
    unknown = gateway.http.options(
        f"{gateway.url}/api/nothing-here", headers={"Origin": ORIGIN}, timeout=10
    )
    assert unknown.status_code == 404


def test_answers_and_refusals_carry_security_and_cors_headers(
    gateway: Gateway, limits_on: pytest.MonkeyPatch
) -> None:
    ok = gateway.http.get(f"{gateway.url}/api/products", headers={"Origin": ORIGIN}, timeout=15)
    refused = gateway.http.get(f"{gateway.url}/api/cart", headers={"Origin": ORIGIN}, timeout=15)
    assert ok.status_code == 200 and refused.status_code == 401
    assert ok.headers["X-Content-Type-Options"] == "nosniff"
    assert ok.headers["RateLimit-Policy"].startswith('"products";q=')
    for resp in (ok, refused):
        assert resp.headers["Access-Control-Allow-Origin"] in ("*", ORIGIN)


def test_a_user_over_the_limit_gets_429_with_rate_limit_headers(
    gateway: Gateway, tight_user_limit: int
) -> None:
    user = gateway.auth("user", f"u-edge-{uuid.uuid4().hex[:8]}")
    answers = [
        gateway.http.get(f"{gateway.url}/api/users/me", headers=user, timeout=15)
        for _ in range(tight_user_limit + 2)
    ]
    statuses = [a.status_code for a in answers]
    assert 429 not in statuses[:tight_user_limit], statuses
    assert statuses[tight_user_limit:] == [429, 429]
    refused = answers[-1]
    assert refused.headers["Retry-After"] == "20"  # one token per 20 s at 3/min
    assert refused.headers["RateLimit"].startswith('"users";r=0;t=')
    assert refused.headers["Content-Type"] == "application/problem+json"
    # Someone else is not affected.
    other = gateway.auth("user", f"u-edge-{uuid.uuid4().hex[:8]}")
    assert (
        gateway.http.get(f"{gateway.url}/api/users/me", headers=other, timeout=15).status_code
        != 429
    )


def test_requests_are_counted_and_timed_by_function_and_route(gateway: Gateway) -> None:
    labels = {"function": "catalog-list", "route": "/api/products"}
    count = "shopfn_http_request_duration_seconds_count"
    before = REGISTRY.get_sample_value(count, labels) or 0.0
    for _ in range(3):
        assert gateway.http.get(f"{gateway.url}/api/products", timeout=15).status_code == 200
    assert REGISTRY.get_sample_value(count, labels) == before + 3
    ok = REGISTRY.get_sample_value(
        "shopfn_http_requests_total", {**labels, "method": "GET", "status": "200"}
    )
    assert ok is not None and ok >= 3
