"""Shoppers and admins against a running shopfn (`benchmarks/bench_load.py` drives it headless).

    locust -f benchmarks/locustfile.py --host http://127.0.0.1:8080

Scenarios and their weights per shopper visit: browse 10 (a catalog page, a product, its
reviews), search 5, cart 3 (add, look, change, remove), checkout 1 (add, pay, look at the
order); one admin for every 50 shoppers lists users and dead letters, and now and then edits
a price (think time 5..15 s). A shopper's think time between actions is
`LOAD_THINK_MIN`..`LOAD_THINK_MAX` seconds (default 0.5..2).

Signed-in users: with `SHOPFN_JWT_SECRET` set (a local emulator) tokens are minted here, so a
run measures shopping, not argon2 at sign-up; without it each user signs up and logs in.
"""

from __future__ import annotations

import os
import random
import uuid
from typing import Any

from locust import FastHttpUser, between, task

THINK = between(
    float(os.environ.get("LOAD_THINK_MIN", "0.5")), float(os.environ.get("LOAD_THINK_MAX", "2"))
)


def _bearer(role: str, user: FastHttpUser) -> dict[str, str]:
    """An access token: minted with the emulator's secret, else through sign-up and login."""
    if os.environ.get("SHOPFN_JWT_SECRET"):
        from shopfn.security import Principal, issue_access_token

        principal = Principal(
            user_id=f"load-{uuid.uuid4().hex[:12]}", role=role, email="load@shopfn.test"
        )
        return {"Authorization": f"Bearer {issue_access_token(principal)}"}
    email = f"load-{uuid.uuid4().hex[:12]}@shopfn.test"
    password = uuid.uuid4().hex
    user.client.post(
        "/api/users", json={"email": email, "password": password, "name": "Load"}, name="signup"
    )
    got = user.client.post("/api/auth/login", json={"email": email, "password": password})
    return {"Authorization": f"Bearer {got.json()['accessToken']}"}


class Shopper(FastHttpUser):
    weight = 50
    wait_time = THINK

    def on_start(self) -> None:
        self.auth = _bearer("user", self)
        landing = self.client.get("/api/products?page=1&pageSize=20", name="/api/products?page")
        self.products: list[dict[str, Any]] = landing.json()["products"]
        self.categories = sorted({p["category"] for p in self.products})
        # Shoppers search for words of names they have seen (the catalog is generated).
        self.words = sorted({w.lower() for p in self.products for w in p["name"].split()[1:]})

    def product(self) -> str:
        return str(random.choice(self.products)["_id"])

    @task(10)
    def browse(self) -> None:
        page = random.randint(1, 20)
        self.client.get(f"/api/products?page={page}&pageSize=20", name="/api/products?page")
        self.wait()
        pid = self.product()
        self.client.get(f"/api/products/{pid}", name="/api/products/{id}")
        self.client.get(f"/api/products/{pid}/reviews", name="/api/products/{id}/reviews")

    @task(5)
    def search(self) -> None:
        query = random.choice(self.words)
        self.client.get(f"/api/search?q={query}", name="/api/search?q")
        self.wait()
        category = random.choice(self.categories)
        self.client.get(
            f"/api/search?q={query}&category={category}&sort=price-asc",
            name="/api/search?q&category",
        )

    def refusable(self, method: str, path: str, name: str, **kwargs: Any) -> Any:
        """A cart call the shop may refuse (out of stock 409, item gone 404): not a failure."""
        with self.client.request(
            method, path, name=name, headers=self.auth, catch_response=True, **kwargs
        ) as response:
            if response.status_code in (404, 409):
                response.success()
            return response

    @task(3)
    def cart(self) -> None:
        pid = self.product()
        item = {"productId": pid, "quantity": 1}
        self.refusable("POST", "/api/cart/items", "/api/cart/items", json=item)
        self.client.get("/api/cart", headers=self.auth)
        self.wait()
        one = "/api/cart/items/{productId}"
        self.refusable("PUT", f"/api/cart/items/{pid}", one, json={"quantity": 2})
        self.refusable("DELETE", f"/api/cart/items/{pid}", one)

    @task(1)
    def checkout(self) -> None:
        item = {"productId": self.product(), "quantity": 1}
        self.refusable("POST", "/api/cart/items", "/api/cart/items", json=item)
        self.wait()
        placed = self.refusable("POST", "/api/cart/checkout", "/api/cart/checkout", json={})
        if placed.status_code in (200, 201):
            order = placed.json()["order"]["id"]
            self.client.get(f"/api/orders/{order}", headers=self.auth, name="/api/orders/{id}")
        self.client.get("/api/orders", headers=self.auth)


class Admin(FastHttpUser):
    # One back-office user per 50 shoppers, reading a while before each action: every product
    # edit invalidates every cached catalog page.
    weight = 1
    wait_time = between(5, 15)

    def on_start(self) -> None:
        self.auth = _bearer("admin", self)

    @task(5)
    def users(self) -> None:
        self.client.get("/api/users?page=1&pageSize=20", headers=self.auth, name="/api/users")

    @task(4)
    def dead_letters(self) -> None:
        self.client.get("/api/ops/dead-letters", headers=self.auth)

    @task(1)
    def edit_price(self) -> None:
        listing = self.client.get("/api/products?pageSize=5", name="/api/products?page")
        pid = random.choice(listing.json()["products"])["_id"]
        price = round(random.uniform(5, 500), 2)
        self.client.patch(
            f"/api/products/{pid}",
            json={"price": price},
            headers=self.auth,
            name="/api/products/{id}",
        )
