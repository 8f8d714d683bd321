"""One user action, one trace: HTTP spans and event deliveries joined by `traceparent`.

The in-process emulator runs every function in this process, so every span lands in the
in-memory buffer that `/_shopfn/traces` shows.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from shopfn import tracing
from tests.e2e.conftest import Gateway
from tests.e2e.shop_helpers import create_product, unique_category

pytestmark = pytest.mark.timeout(180)

# The functions a successful checkout goes through, from the cart to the confirmation mail.
CHECKOUT_FUNCTIONS = {
    "cart-checkout",
    "inventory-reserve",
    "saga-inventory-reserved",
    "payments-charge",
    "saga-payment-charged",
    "shipping-schedule",
    "saga-shipment-scheduled",
    "notifications-order-confirmed",
}


def trace_id_of(resp: Any) -> str:
    parsed = tracing.parse(resp.headers.get("traceparent", ""))
    assert parsed is not None, resp.headers
    return parsed[0]


def wait_for_trace(trace_id: str, functions: set[str], timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    trace = None
    while time.monotonic() < deadline:
        trace = tracing.find_trace(trace_id)
        if trace is not None and functions <= set(trace["functions"]):
            return trace
        time.sleep(0.2)
    seen = sorted(trace["functions"]) if trace else []
    raise AssertionError(f"trace {trace_id} lacks {sorted(functions - set(seen))}; has {seen}")


def assert_one_tree(trace: dict[str, Any]) -> None:
    """Every span's parent is in the trace, except the root's (the caller's, or none)."""
    ids = {span["span_id"] for span in trace["spans"]}
    roots = [span for span in trace["spans"] if span["parent_id"] not in ids]
    assert len(roots) == 1, [(s["name"], s["parent_id"]) for s in roots]


def test_registering_a_user_is_one_trace_through_the_consumers(gateway: Gateway) -> None:
    email = f"trace-{uuid.uuid4().hex[:10]}@example.com"
    resp = gateway.http.post(
        f"{gateway.url}/api/users",
        json={"email": email, "password": "correct horse battery", "name": "Trace Me"},
        timeout=15,
    )
    assert resp.status_code == 201, resp.text
    gateway.drain()
    trace = wait_for_trace(trace_id_of(resp), {"users-create", "notifications-user-registered"}, 20)
    assert_one_tree(trace)
    root = trace["spans"][0]
    assert root["name"] == "POST /api/users" and root["kind"] == "server"
    consumer = next(s for s in trace["spans"] if s["function"] == "notifications-user-registered")
    assert consumer["kind"] == "consumer"
    assert consumer["name"] == "notifications-user-registered shop.user.registered.v1"

    # The emulator's trace view shows it.
    page = gateway.http.get(f"{gateway.url}/_shopfn/traces", timeout=10)
    assert page.status_code == 200 and trace["trace_id"] in page.text
    listed = gateway.http.get(f"{gateway.url}/_shopfn/traces.json", timeout=10).json()
    assert any(t["trace_id"] == trace["trace_id"] for t in listed)


def test_a_checkout_is_one_trace_across_every_function_it_touches(gateway: Gateway) -> None:
    product = create_product(gateway, category=unique_category(), price=30.0, stock=5)
    gateway.drain()
    user = gateway.auth("user", f"u-trace-{uuid.uuid4().hex[:8]}")
    added = gateway.http.post(
        f"{gateway.url}/api/cart/items",
        json={"productId": product["_id"], "quantity": 2},
        headers=user,
        timeout=15,
    )
    assert added.status_code in (200, 201), added.text
    checkout = gateway.http.post(
        f"{gateway.url}/api/cart/checkout", json={}, headers=user, timeout=15
    )
    assert checkout.status_code == 201, checkout.text
    trace = wait_for_trace(trace_id_of(checkout), CHECKOUT_FUNCTIONS, 60)
    assert_one_tree(trace)
    assert trace["root"] == "POST /api/cart/checkout"
    assert trace["errors"] == 0, [s["name"] for s in trace["spans"] if s["error"]]
    order = checkout.json()["order"]
    status = gateway.http.get(
        f"{gateway.url}/api/orders/{order['id']}", headers=user, timeout=15
    ).json()["order"]["status"]
    assert status in ("CONFIRMED", "SHIPPED")


def test_isolated_function_processes_send_their_spans_to_the_trace_view(
    isolated_gateway: Gateway,
) -> None:
    gw = isolated_gateway
    email = f"trace-iso-{uuid.uuid4().hex[:10]}@example.com"
    resp = gw.http.post(
        f"{gw.url}/api/users",
        json={"email": email, "password": "correct horse battery", "name": "Trace Iso"},
        timeout=60,
    )
    assert resp.status_code == 201, resp.text
    trace_id = trace_id_of(resp)
    wanted = {"users-create", "notifications-user-registered"}
    deadline = time.monotonic() + 60
    found: dict[str, Any] = {}
    while time.monotonic() < deadline and not wanted <= set(found.get("functions", ())):
        listed = gw.http.get(f"{gw.url}/_shopfn/traces.json", timeout=10).json()
        found = next((t for t in listed if t["trace_id"] == trace_id), {})
        time.sleep(0.3)
    assert wanted <= set(found.get("functions", ())), found
    assert_one_tree(found)
