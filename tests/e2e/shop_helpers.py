"""Helpers the identity, catalog, search and review end-to-end tests share."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from tests.e2e.conftest import Gateway


def unique_category() -> str:
    """A category no other test uses, so each test sees only its own products."""
    return f"t-{uuid.uuid4().hex[:12]}"


def create_product(gw: Gateway, **fields: Any) -> dict[str, Any]:
    body = {
        "name": "Trail running shoe",
        "description": "Light and grippy",
        "price": 100.0,
        "category": "shoes",
        "stock": 5,
        "specifications": {"weight": "280 g"},
        **fields,
    }
    resp = gw.http.post(
        f"{gw.url}/api/products", json=body, headers=gw.auth("admin", "admin-e2e"), timeout=10
    )
    assert resp.status_code == 201, resp.text
    return dict(resp.json()["product"])


def products_of(gw: Gateway, **params: Any) -> dict[str, Any]:
    resp = gw.http.get(f"{gw.url}/api/products", params=params, timeout=30)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def search(gw: Gateway, **params: Any) -> dict[str, Any]:
    resp = gw.http.get(f"{gw.url}/api/search", params=params, timeout=30)
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def eventually(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll `check` until it returns something truthy (consumers run asynchronously).

    Not `gateway.drain()`: that also waits for every other team's consumers, some of which
    need servers these tests do not start.
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            assert result, "condition not reached in time"
            return result
        time.sleep(0.05)
