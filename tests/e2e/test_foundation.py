"""The foundation end to end: the vertical slice over HTTP through the emulator's gateway."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from shopfn.stores import mongo_db, redis_client
from tests.e2e.conftest import Gateway

PROBLEM = "application/problem+json"


def _register(gw: Gateway, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": "Ada Lovelace",
        "email": f"ada-{uuid.uuid4().hex[:8]}@example.com",
        "password": "correct horse battery",
        **overrides,
    }
    resp = gw.http.post(f"{gw.url}/api/users", json=body, timeout=10)
    assert resp.status_code == 201, resp.text
    return dict(resp.json()["user"])


def _product(**overrides: Any) -> dict[str, Any]:
    doc = {
        "_id": uuid.uuid4().hex,
        "name": "Trail running shoe",
        "description": "Light, grippy, 8 mm drop",
        "price": 129.0,
        "category": "shoes",
        "stock": 7,
        "rating": 4.5,
        "ratingCount": 2,
        "specifications": {"weight": "280 g"},
        "createdAt": datetime.now(UTC).replace(microsecond=0),
        "version": 1,
        **overrides,
    }
    mongo_db()["products"].insert_one(doc)
    return doc


def test_create_user_answers_the_seed_shape(gateway: Gateway) -> None:
    user = _register(gateway, phone="+44 20 7946 0000")
    assert set(user) == {"_id", "name", "email", "role", "phone", "createdAt"}
    assert user["role"] == "user"
    listed = gateway.http.get(
        f"{gateway.url}/api/users?pageSize=100", headers=gateway.auth("admin"), timeout=10
    )
    assert listed.status_code == 200
    assert user["_id"] in {u["_id"] for u in listed.json()["users"]}
    assert all("passwordHash" not in u for u in listed.json()["users"])


def test_listing_users_needs_an_admin(gateway: Gateway) -> None:
    anonymous = gateway.http.get(f"{gateway.url}/api/users", timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.headers["Content-Type"] == PROBLEM
    as_user = gateway.http.get(f"{gateway.url}/api/users", headers=gateway.auth(), timeout=10)
    assert as_user.status_code == 403


def test_duplicate_email_is_a_conflict(gateway: Gateway) -> None:
    user = _register(gateway)
    again = gateway.http.post(
        f"{gateway.url}/api/users",
        json={"name": "Twin", "email": user["email"], "password": "another password"},
        timeout=10,
    )
    assert again.status_code == 409
    assert "already exists" in again.json()["detail"]


def test_product_is_read_through_the_cache(gateway: Gateway) -> None:
    doc = _product()
    url = f"{gateway.url}/api/products/{doc['_id']}"
    first = gateway.http.get(url, timeout=10)
    assert first.status_code == 200
    assert first.json()["product"]["name"] == doc["name"]
    assert redis_client().exists(f"catalog:product:{doc['_id']}")
    # A change behind the cache's back stays invisible until the entry goes: proof of caching.
    mongo_db()["products"].update_one({"_id": doc["_id"]}, {"$set": {"name": "Renamed"}})
    assert gateway.http.get(url, timeout=10).json()["product"]["name"] == doc["name"]
    redis_client().delete(f"catalog:product:{doc['_id']}")
    assert gateway.http.get(url, timeout=10).json()["product"]["name"] == "Renamed"


def test_product_list_and_missing_product(gateway: Gateway) -> None:
    doc = _product(name="Listed product")
    listed = gateway.http.get(f"{gateway.url}/api/products?pageSize=100", timeout=10).json()
    assert doc["_id"] in {p["_id"] for p in listed["products"]}
    assert listed["total"] >= 1
    missing = gateway.http.get(f"{gateway.url}/api/products/{uuid.uuid4().hex}", timeout=10)
    assert missing.status_code == 404
    assert missing.headers["Content-Type"] == PROBLEM


def test_registration_event_reaches_the_users_feed(gateway: Gateway) -> None:
    user = _register(gateway)
    gateway.drain()
    own = gateway.http.get(
        f"{gateway.url}/api/notifications/user/{user['_id']}",
        headers=gateway.auth("user", user["_id"]),
        timeout=10,
    )
    assert own.status_code == 200, own.text
    feed = own.json()
    assert feed["unread"] == 1
    assert feed["notifications"][0]["type"] == "shop.user.registered.v1"
    assert user["name"] in feed["notifications"][0]["title"]
    other = gateway.http.get(
        f"{gateway.url}/api/notifications/user/{user['_id']}",
        headers=gateway.auth("user", "someone-else"),
        timeout=10,
    )
    assert other.status_code == 403


def test_trace_context_flows_from_http_into_the_event(gateway: Gateway) -> None:
    trace_id = uuid.uuid4().hex
    resp = gateway.http.post(
        f"{gateway.url}/api/users",
        json={"name": "Traced", "email": f"t-{trace_id[:8]}@example.com", "password": "x" * 12},
        headers={"traceparent": f"00-{trace_id}-{'1' * 16}-01"},
        timeout=10,
    )
    assert resp.status_code == 201
    assert resp.headers["traceparent"].split("-")[1] == trace_id
    user_id = resp.json()["user"]["_id"]
    gateway.drain()
    event = next(e for e in gateway.emulator.broker.recent_events() if e.get("subject") == user_id)
    assert trace_id in str(event)


BAD_REQUESTS = [
    pytest.param("POST", "/api/users", b'{"name": "x",', "application/json", 400, id="malformed"),
    pytest.param(
        "POST",
        "/api/users",
        b'{"name": "x", "email": "a@b.co"}',
        "application/json",
        422,
        id="missing-field",
    ),
    pytest.param(
        "POST",
        "/api/users",
        b'{"name": 5, "email": "a@b.co", "password": ["p"]}',
        "application/json",
        422,
        id="mistyped",
    ),
    pytest.param(
        "POST",
        "/api/users",
        b'{"name": "x", "email": "nope", "password": "12345678"}',
        "application/json",
        422,
        id="bad-email",
    ),
    pytest.param(
        "POST", "/api/users", b"name=x", "application/x-www-form-urlencoded", 415, id="not-json"
    ),
    pytest.param("GET", "/api/nowhere", b"", None, 404, id="unknown-route"),
    pytest.param("DELETE", "/api/products", b"", None, 405, id="wrong-method"),
    pytest.param("GET", "/api/products?page=0", b"", None, 422, id="bad-query"),
    pytest.param("GET", "/api/products?colour=red", b"", None, 422, id="unknown-query"),
    pytest.param("POST", "/api/users", b"x" * 2_000_000, "application/json", 413, id="oversized"),
]


@pytest.mark.parametrize(("method", "path", "body", "content_type", "status"), BAD_REQUESTS)
def test_bad_input_gets_a_clear_problem(
    gateway: Gateway, method: str, path: str, body: bytes, content_type: str | None, status: int
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    resp = gateway.http.request(
        method, f"{gateway.url}{path}", data=body, headers=headers, timeout=10
    )
    assert resp.status_code == status, resp.text
    assert resp.headers["Content-Type"] == PROBLEM
    problem = resp.json()
    assert problem["status"] == status
    assert problem["detail"] and "Traceback" not in resp.text
    if status == 422:
        assert problem["errors"][0]["field"]
    if status == 405:
        assert "GET" in resp.headers["Allow"]


def test_an_event_the_consumer_refuses_is_kept_as_a_dead_letter(gateway: Gateway) -> None:
    event_id = uuid.uuid4().hex
    headers = {
        "ce-specversion": "1.0",
        "ce-id": event_id,
        "ce-source": "/tests/e2e",
        "ce-type": "shop.user.registered.v1",
        "content-type": "application/json",
    }
    # Data that breaks the event's schema: the consumer answers 400, which is never retried.
    ingress = gateway.http.post(
        f"{gateway.url}/_broker", data=b'{"userId": 1}', headers=headers, timeout=10
    )
    assert ingress.status_code == 202, ingress.text
    gateway.drain()
    kept = gateway.http.get(
        f"{gateway.url}/api/ops/dead-letters", headers=gateway.auth("admin"), timeout=10
    ).json()["deadLetters"]
    # Every consumer of the type refuses it (analytics-record too), each in its own order.
    letters = {d["destination"]: d for d in kept if d["event_id"] == event_id}
    letter = letters["notifications-user-registered"]
    assert letter["error_code"] == "400"
    replay = gateway.http.post(
        f"{gateway.url}/api/ops/dead-letters/{letter['id']}/replay",
        headers=gateway.auth("admin"),
        timeout=10,
    )
    assert replay.status_code == 200


def test_broker_ingress_refuses_an_event_without_its_attributes(gateway: Gateway) -> None:
    resp = gateway.http.post(
        f"{gateway.url}/_broker",
        data=b"{}",
        headers={
            "ce-specversion": "1.0",
            "ce-type": "shop.x.v1",
            "content-type": "application/json",
        },
        timeout=10,
    )
    assert resp.status_code == 400
    assert resp.headers["Content-Type"] == PROBLEM


def test_status_page_and_health(gateway: Gateway) -> None:
    assert gateway.http.get(f"{gateway.url}/healthz", timeout=10).json()["status"] == "ok"
    page = gateway.http.get(f"{gateway.url}/_shopfn", timeout=10)
    assert page.status_code == 200
    assert "catalog-get" in page.text and "Dead letters" in page.text


def test_isolated_mode_scales_from_and_to_zero(isolated_gateway: Gateway) -> None:
    gw = isolated_gateway
    doc = _product(name="Isolated product")
    resp = gw.http.get(f"{gw.url}/api/products/{doc['_id']}", timeout=60)
    assert resp.status_code == 200, resp.text
    assert resp.json()["product"]["name"] == "Isolated product"
    status = gw.http.get(f"{gw.url}/_shopfn/status.json", timeout=10).json()
    state = {f["name"]: f for f in status["functions"]}
    assert state["catalog-get"]["state"] == "up"
    assert state["catalog-get"]["cold_start_ms"] > 0
    assert state["users-create"]["state"] == "down"
    # An event wakes the consumer's own process too.
    user = _register(gw)
    gw.drain(30)
    feed = gw.http.get(
        f"{gw.url}/api/notifications/user/{user['_id']}",
        headers=gw.auth("user", user["_id"]),
        timeout=60,
    )
    assert feed.json()["unread"] == 1
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        functions = gw.http.get(f"{gw.url}/_shopfn/status.json", timeout=10).json()["functions"]
        if {f["name"]: f for f in functions}["catalog-get"]["state"] == "down":
            break
        time.sleep(0.5)
    else:
        pytest.fail("catalog-get did not scale to zero after its idle timeout")


def test_every_isolated_function_serves_metrics(isolated_gateway: Gateway) -> None:
    gw = isolated_gateway
    gw.http.get(f"{gw.url}/api/products", timeout=60)
    assert gw.emulator.processes is not None
    url = gw.emulator.processes.url_for("catalog-list")
    metrics = requests.get(f"{url}/metrics", timeout=10)
    assert metrics.status_code == 200
    assert 'shopfn_http_requests_total{function="catalog-list"' in metrics.text
