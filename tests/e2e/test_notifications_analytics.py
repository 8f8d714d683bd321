"""Notifications and analytics end to end: register, check out, see the feed, mail, pushes and
the analytics summary change, through the emulator's gateway and broker on real servers."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from functions.notifications._sent import sent_emails, sent_pushes
from tests.e2e.conftest import Gateway
from tests.e2e.shop_helpers import create_product, unique_category

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

WELCOME = "Welcome to shopfn, Grace!"


def wait_for(what: str, check: Callable[[], Any], timeout: float = 90.0) -> Any:
    """Poll until `check()` is truthy: the saga and the consumers run behind the broker."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.25)


def register(gw: Gateway) -> tuple[str, str]:
    email = f"grace-{uuid.uuid4().hex[:8]}@example.com"
    body = {"name": "Grace", "email": email, "password": "correct horse battery"}
    resp = gw.http.post(f"{gw.url}/api/users", json=body, timeout=10)
    assert resp.status_code == 201, resp.text
    return str(resp.json()["user"]["_id"]), email


def feed(gw: Gateway, user_id: str, who: dict[str, str] | None = None, **params: Any) -> Any:
    resp = gw.http.get(
        f"{gw.url}/api/notifications/user/{user_id}",
        params=params,
        headers=who if who is not None else gw.auth("user", user_id),
        timeout=10,
    )
    assert resp.status_code == 200, resp.text
    return resp.json()


def summary(gw: Gateway) -> dict[str, Any]:
    resp = gw.http.get(
        f"{gw.url}/api/analytics/summary", params={"top": 100}, headers=gw.auth("admin"), timeout=30
    )
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def checkout(gw: Gateway, user_id: str, product_id: str, quantity: int, **body: Any) -> str:
    auth = gw.auth("user", user_id)
    added = gw.http.post(
        f"{gw.url}/api/cart/items",
        json={"productId": product_id, "quantity": quantity},
        headers=auth,
        timeout=10,
    )
    assert added.status_code in (200, 201), added.text
    placed = gw.http.post(f"{gw.url}/api/cart/checkout", json=body, headers=auth, timeout=30)
    assert placed.status_code == 201, placed.text
    return str(placed.json()["order"]["id"])


def titles_of(gw: Gateway, user_id: str) -> list[str]:
    return [n["title"] for n in feed(gw, user_id)["notifications"]]


def mail_subjects(email: str) -> list[str]:
    aws = os.environ["SHOPFN_AWS_URL"]
    return [m["subject"] for m in sent_emails(aws) if email in m["to"]]


def push_titles(user_id: str) -> list[str]:
    return [p["title"] for p in sent_pushes(os.environ["SHOPFN_AWS_URL"]) if p["user"] == user_id]


def test_register_and_check_out_notify_and_count(gateway: Gateway) -> None:
    before = summary(gateway)
    user_id, email = register(gateway)
    product = create_product(
        gateway, name="Analytics kettle", price=25.0, stock=5, category=unique_category()
    )
    order_id = checkout(gateway, user_id, str(product["_id"]), 2)
    confirmed = f"Order {order_id} confirmed"

    titles = wait_for(
        "the confirmation on the feed",
        lambda: confirmed in titles_of(gateway, user_id) and titles_of(gateway, user_id),
    )
    assert titles[-1] == WELCOME  # newest first: the welcome is the oldest
    gateway.drain(30)
    # Exactly one email and one push per event, though the broker delivers at least once.
    assert mail_subjects(email).count(WELCOME) == 1
    assert mail_subjects(email).count(confirmed) == 1
    assert push_titles(user_id).count(confirmed) == 1

    def counted() -> dict[str, Any] | None:
        now = summary(gateway)
        return now if now["totalOrders"] > before["totalOrders"] else None

    after = wait_for("the order in the analytics summary", counted)
    assert after["totalUsers"] >= before["totalUsers"] + 1
    assert after["totalRevenue"] >= before["totalRevenue"] + 50.0
    confirmed_type = "shop.order.confirmed.v1"
    assert (
        after["eventsByType"][confirmed_type] >= before["eventsByType"].get(confirmed_type, 0) + 1
    )
    assert after["eventsByType"]["shop.order.created.v1"] >= 1
    [kettle] = [p for p in after["topProducts"] if p["productId"] == product["_id"]]
    assert (kettle["name"], kettle["quantity"], kettle["revenue"]) == ("Analytics kettle", 2, 50.0)
    assert sum(h["orders"] for h in after["salesPerHour"]) >= 1
    series = gateway.http.get(
        f"{gateway.url}/api/analytics/events/{confirmed_type}",
        headers=gateway.auth("admin"),
        timeout=30,
    )
    assert series.status_code == 200, series.text
    assert series.json()["total"] >= 1


def test_a_declined_card_cancels_the_order_and_says_so_once(gateway: Gateway) -> None:
    user_id, email = register(gateway)
    # The mobile app registers its device: pushes go to that device's SNS endpoint from now on.
    token = f"fcm-token-{uuid.uuid4().hex}"
    device = gateway.http.post(
        f"{gateway.url}/api/notifications/user/{user_id}/devices",
        json={"token": token},
        headers=gateway.auth("user", user_id),
        timeout=10,
    )
    assert device.status_code == 201, device.text
    endpoint = device.json()["endpointArn"]
    product = create_product(gateway, price=10.0, stock=3, category=unique_category())
    order_id = checkout(gateway, user_id, str(product["_id"]), 1, cardNumber="4000000000000002")
    cancelled = f"Order {order_id} cancelled"
    wait_for("the cancellation on the feed", lambda: cancelled in titles_of(gateway, user_id))
    gateway.drain(30)
    assert mail_subjects(email).count(cancelled) == 1
    pushes = [p for p in sent_pushes(os.environ["SHOPFN_AWS_URL"]) if p["title"] == cancelled]
    assert [p["endpoint"] for p in pushes] == [endpoint]


def test_a_feed_is_its_owners_and_can_be_marked_read(gateway: Gateway) -> None:
    user_id, _ = register(gateway)
    wait_for("the welcome", lambda: feed(gateway, user_id)["notifications"])
    other = gateway.http.get(
        f"{gateway.url}/api/notifications/user/{user_id}",
        headers=gateway.auth("user", "someone-else"),
        timeout=10,
    )
    assert other.status_code == 403
    assert other.headers["Content-Type"].startswith("application/problem+json")
    as_admin = feed(gateway, user_id, gateway.auth("admin", "admin-e2e"))
    assert as_admin["unread"] == 1
    [welcome] = as_admin["notifications"]
    assert (welcome["title"], welcome["read"]) == (WELCOME, False)

    base = f"{gateway.url}/api/notifications/user/{user_id}"
    mine = gateway.auth("user", user_id)
    missing = gateway.http.post(f"{base}/no-such-id/read", headers=mine, timeout=10)
    assert missing.status_code == 404
    marked = gateway.http.post(f"{base}/{welcome['id']}/read", headers=mine, timeout=10)
    assert marked.status_code == 200, marked.text
    assert marked.json() == {"userId": user_id, "id": welcome["id"], "read": True, "unread": 0}
    assert feed(gateway, user_id)["notifications"][0]["read"] is True
    assert feed(gateway, user_id, unread="true")["notifications"] == []
    everything = gateway.http.post(f"{base}/read", headers=mine, timeout=10)
    assert everything.json() == {"userId": user_id, "marked": 0, "unread": 0}
    stranger = gateway.http.post(f"{base}/read", headers=gateway.auth("user", "x"), timeout=10)
    assert stranger.status_code == 403


def test_the_summary_is_for_admins_and_checks_its_range(gateway: Gateway) -> None:
    url = f"{gateway.url}/api/analytics/summary"
    assert gateway.http.get(url, timeout=10).status_code == 401
    assert gateway.http.get(url, headers=gateway.auth("user"), timeout=10).status_code == 403
    not_a_time = gateway.http.get(
        url, params={"to": "0.5"}, headers=gateway.auth("admin"), timeout=10
    )
    assert not_a_time.status_code == 422
    # A reversed range reads nothing, and the answer says which range it read.
    reversed_range = gateway.http.get(
        url,
        params={"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
        headers=gateway.auth("admin"),
        timeout=10,
    )
    assert reversed_range.status_code == 200
    empty = reversed_range.json()
    assert empty["from"] == empty["to"] == "2026-01-01T00:00:00Z"
    assert (empty["eventsByType"], empty["salesPerHour"], empty["topProducts"]) == ({}, [], [])
    shape = summary(gateway)
    assert set(shape) == {
        "totalUsers",
        "totalOrders",
        "totalRevenue",
        "totalRefunded",
        "totalEvents",
        "from",
        "to",
        "eventsByType",
        "salesPerHour",
        "topProducts",
    }
