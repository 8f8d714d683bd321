"""50 shoppers check out the last 10 units of one product at the same moment, over HTTP."""

from __future__ import annotations

import threading
import time
import uuid
from typing import Any

import pytest
import requests

from functions.catalog.models import ProductCreate
from functions.catalog.store import new_product_doc
from shopfn.stores import mongo_db
from tests.e2e.conftest import Gateway

pytestmark = pytest.mark.timeout(240)
SHOPPERS = 50
UNITS = 10


def test_fifty_shoppers_ten_units_exactly_ten_confirmed(gateway: Gateway) -> None:
    doc = new_product_doc(
        ProductCreate(name="Last-run sneaker", price=90.0, category="shoes", stock=UNITS)
    )
    mongo_db()["products"].insert_one(doc)
    pid = doc["_id"]
    shoppers = [f"shopper-{uuid.uuid4().hex[:8]}" for _ in range(SHOPPERS)]
    for shopper in shoppers:
        added = gateway.http.post(
            f"{gateway.url}/api/cart/items",
            json={"productId": pid, "quantity": 1},
            headers=gateway.auth("user", shopper),
            timeout=10,
        )
        assert added.status_code == 200, added.text

    start = threading.Barrier(SHOPPERS)
    answers: dict[str, requests.Response] = {}

    def check_out(shopper: str) -> None:
        with requests.Session() as session:
            start.wait(30)
            answers[shopper] = session.post(
                f"{gateway.url}/api/cart/checkout",
                json={"cardNumber": "4242 4242 4242 4242", "shippingAddress": "1 Main St"},
                headers=gateway.auth("user", shopper),
                timeout=30,
            )

    threads = [threading.Thread(target=check_out, args=(s,)) for s in shoppers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == SHOPPERS

    orders: dict[str, str] = {}  # order id -> shopper
    refused: list[dict[str, Any]] = []
    for shopper, answer in answers.items():
        if answer.status_code == 201:
            assert answer.json()["order"]["status"] == "PENDING"
            orders[answer.json()["order"]["id"]] = shopper
        else:
            # Stock already reserved by faster shoppers: refused at checkout, with the reason.
            assert answer.status_code == 409, answer.text
            refused.append(answer.json())
    assert all(p["type"].endswith("/out-of-stock") for p in refused), refused

    final = wait_final(gateway, orders, deadline=time.monotonic() + 90)
    confirmed = [o for o in final.values() if o["status"] == "CONFIRMED"]
    cancelled = [o for o in final.values() if o["status"] == "CANCELLED"]
    assert len(confirmed) == UNITS
    assert len(cancelled) + len(refused) == SHOPPERS - UNITS
    assert {o["reason"] for o in cancelled} <= {"out of stock: Last-run sneaker"}
    assert all(o["trackingId"] for o in confirmed)
    product = gateway.http.get(f"{gateway.url}/api/products/{pid}", timeout=10).json()
    assert product["product"]["stock"] == 0
    print(f"\n{len(confirmed)} confirmed, {len(cancelled)} cancelled, {len(refused)} refused")


def wait_final(gateway: Gateway, orders: dict[str, str], deadline: float) -> dict[str, Any]:
    """Each order once it left PENDING (fails after `deadline`)."""
    final: dict[str, Any] = {}
    while len(final) < len(orders):
        assert time.monotonic() < deadline, f"{len(orders) - len(final)} orders still PENDING"
        for order_id, shopper in orders.items():
            if order_id in final:
                continue
            got = gateway.http.get(
                f"{gateway.url}/api/orders/{order_id}",
                headers=gateway.auth("user", shopper),
                timeout=10,
            )
            assert got.status_code == 200, got.text
            if got.json()["order"]["status"] != "PENDING":
                final[order_id] = got.json()["order"]
        time.sleep(0.1)
    return final
