"""Cart, checkout and the order saga end to end, over HTTP through the emulator's gateway."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest

from functions.catalog.models import ProductCreate
from functions.catalog.store import new_product_doc
from shopfn.stores import mongo_db
from tests.e2e.conftest import Gateway

pytestmark = pytest.mark.timeout(180)


def new_product(stock: int = 5, price: float = 25.0, name: str = "Desk lamp") -> str:
    """A product in the catalog, in the catalog's own shape."""
    doc = new_product_doc(ProductCreate(name=name, price=price, category="home", stock=stock))
    mongo_db()["products"].insert_one(doc)
    return str(doc["_id"])


class Shopper:
    def __init__(self, gw: Gateway) -> None:
        self.gw = gw
        self.id = f"u-{uuid.uuid4().hex[:10]}"
        self.headers = gw.auth("user", self.id)

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.gw.http.request(
            method, f"{self.gw.url}{path}", headers=self.headers, timeout=15, **kwargs
        )

    def add(self, pid: str, quantity: int = 1) -> Any:
        return self.call("POST", "/api/cart/items", json={"productId": pid, "quantity": quantity})

    def checkout(self, card: str = "4242424242424242", address: str = "1 Main St") -> Any:
        body = {"cardNumber": card, "shippingAddress": address}
        return self.call("POST", "/api/cart/checkout", json=body)

    def order(self, order_id: str) -> dict[str, Any]:
        got = self.call("GET", f"/api/orders/{order_id}")
        assert got.status_code == 200, got.text
        return dict(got.json()["order"])

    def wait(self, order_id: str, *statuses: str, seconds: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + seconds
        while True:
            order = self.order(order_id)
            if order["status"] in statuses:
                return order
            assert time.monotonic() < deadline, f"order still {order['status']}"
            time.sleep(0.05)

    def buy(self, pid: str, quantity: int = 1, **checkout: str) -> str:
        assert self.add(pid, quantity).status_code == 200
        placed = self.checkout(**checkout)
        assert placed.status_code == 201, placed.text
        return str(placed.json()["order"]["id"])


def stock(gw: Gateway, pid: str) -> int:
    return int(gw.http.get(f"{gw.url}/api/products/{pid}", timeout=10).json()["product"]["stock"])


def test_cart_add_update_remove_clear_with_stock_checks(gateway: Gateway) -> None:
    pid = new_product(stock=3, price=19.99)
    shopper = Shopper(gateway)
    empty = shopper.call("GET", "/api/cart")
    assert empty.status_code == 200 and empty.json()["cart"]["items"] == []
    assert shopper.add("p-missing").status_code == 404
    too_many = shopper.add(pid, 4)
    assert too_many.status_code == 409 and too_many.json()["type"].endswith("/out-of-stock")
    assert shopper.add(pid, 1).status_code == 200
    cart = shopper.add(pid, 1).json()["cart"]
    assert cart["items"][0]["quantity"] == 2 and cart["total"] == pytest.approx(39.98)
    assert shopper.call("PUT", f"/api/cart/items/{pid}", json={"quantity": 4}).status_code == 409
    updated = shopper.call("PUT", f"/api/cart/items/{pid}", json={"quantity": 3})
    assert updated.json()["cart"]["itemCount"] == 3
    assert shopper.call("DELETE", f"/api/cart/items/{pid}").json()["cart"]["items"] == []
    assert shopper.call("DELETE", f"/api/cart/items/{pid}").status_code == 404
    shopper.add(pid)
    assert shopper.call("DELETE", "/api/cart").status_code == 204
    refused = shopper.checkout()
    assert refused.status_code == 409 and refused.json()["type"].endswith("/cart-empty")
    assert gateway.http.get(f"{gateway.url}/api/cart", timeout=10).status_code == 401


def test_checkout_confirms_and_the_order_is_visible_to_its_owner_and_admins(
    gateway: Gateway,
) -> None:
    pid = new_product(stock=5, price=25.0)
    shopper = Shopper(gateway)
    shopper.add(pid, 2)
    placed = shopper.checkout()
    assert placed.status_code == 201, placed.text
    order = placed.json()["order"]
    assert order["status"] == "PENDING" and order["total"] == 50.0
    assert placed.headers["Location"] == f"/api/orders/{order['id']}"
    assert shopper.call("GET", "/api/cart").json()["cart"]["items"] == []

    confirmed = shopper.wait(order["id"], "CONFIRMED")
    assert confirmed["trackingId"].startswith("TRK") and confirmed["confirmedAt"]
    assert stock(gateway, pid) == 3
    mine = shopper.call("GET", "/api/orders").json()
    assert [o["id"] for o in mine["orders"]] == [order["id"]]
    other = Shopper(gateway)
    assert other.call("GET", f"/api/orders/{order['id']}").status_code == 404
    assert other.call("GET", "/api/orders").json()["orders"] == []
    admin = gateway.auth("admin", "admin-1")
    listed = gateway.http.get(
        f"{gateway.url}/api/orders?status=CONFIRMED&pageSize=100", headers=admin, timeout=10
    ).json()
    assert order["id"] in {o["id"] for o in listed["orders"]}
    assert all(o["status"] == "CONFIRMED" for o in listed["orders"])


@pytest.mark.parametrize(
    ("checkout", "reason"),
    [
        ({"card": "4000 0000 0000 0002"}, "payment declined: card declined"),
        ({"address": "42 UNDELIVERABLE Road"}, "shipping failed: address undeliverable"),
    ],
)
def test_a_failed_step_cancels_with_its_reason_and_gives_the_stock_back(
    gateway: Gateway, checkout: dict[str, str], reason: str
) -> None:
    pid = new_product(stock=4)
    shopper = Shopper(gateway)
    order_id = shopper.buy(pid, 2, **checkout)
    cancelled = shopper.wait(order_id, "CANCELLED")
    assert cancelled["reason"] == reason
    gateway.drain()
    assert stock(gateway, pid) == 4


def test_an_amount_above_the_limit_is_declined(gateway: Gateway) -> None:
    pid = new_product(stock=2, price=6000.0)
    shopper = Shopper(gateway)
    order_id = shopper.buy(pid, 2)
    cancelled = shopper.wait(order_id, "CANCELLED")
    assert cancelled["reason"].startswith("payment declined: amount 12000")


def test_cancel_a_confirmed_order_refunds_and_restocks_then_shipped_orders_stay(
    gateway: Gateway,
) -> None:
    pid = new_product(stock=3)
    shopper = Shopper(gateway)
    order_id = shopper.buy(pid)
    shopper.wait(order_id, "CONFIRMED")
    assert Shopper(gateway).call("POST", f"/api/orders/{order_id}/cancel").status_code == 404
    asked = shopper.call("POST", f"/api/orders/{order_id}/cancel")
    assert asked.status_code == 202, asked.text
    cancelled = shopper.wait(order_id, "CANCELLED")
    assert cancelled["reason"] == "cancelled by customer"
    again = shopper.call("POST", f"/api/orders/{order_id}/cancel")
    assert again.status_code == 202 and again.json()["order"]["status"] == "CANCELLED"
    gateway.drain()
    assert stock(gateway, pid) == 3

    shipped_id = shopper.buy(pid)
    tracking = shopper.wait(shipped_id, "CONFIRMED")["trackingId"]
    admin = gateway.auth("admin", "admin-1")
    assert shopper.call("POST", f"/api/shipments/{shipped_id}/dispatch").status_code == 403
    sent = gateway.http.post(
        f"{gateway.url}/api/shipments/{shipped_id}/dispatch", headers=admin, timeout=10
    )
    assert sent.status_code == 200, sent.text
    shipped = shopper.wait(shipped_id, "SHIPPED")
    assert shipped["trackingId"] == tracking and shipped["shippedAt"]
    refused = shopper.call("POST", f"/api/orders/{shipped_id}/cancel")
    assert refused.status_code == 409
    assert stock(gateway, pid) == 2


def test_cancel_waits_until_the_saga_has_the_order(gateway: Gateway) -> None:
    from functions.orders.store import create
    from functions.saga.db import transaction

    shopper = Shopper(gateway)
    items = [{"productId": new_product(), "name": "Desk lamp", "quantity": 1, "unitPrice": 25.0}]
    with transaction() as cur:  # an order whose saga has not started (checkout starts both)
        order, _ = create(cur, shopper.id, items, "USD", "4242", "1 Main St")
    early = shopper.call("POST", f"/api/orders/{order['id']}/cancel")
    assert early.status_code == 409 and early.headers["Retry-After"] == "1"
    assert early.json()["type"].endswith("/order-not-ready")
