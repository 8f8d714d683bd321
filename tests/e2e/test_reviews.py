"""Reviews end to end: one per user and product, paginated list, moderation, rating upkeep."""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import Gateway
from tests.e2e.shop_helpers import create_product, eventually, search, unique_category

pytestmark = pytest.mark.servers("mongo", "redis", "elasticsearch")


def review(gw: Gateway, product_id: str, user_id: str, rating: int, text: str = "ok") -> object:
    return gw.http.post(
        f"{gw.url}/api/products/{product_id}/reviews",
        json={"rating": rating, "title": "My take", "text": text},
        headers=gw.auth("user", user_id),
        timeout=10,
    )


def product_of(gw: Gateway, product_id: str) -> dict[str, object]:
    return dict(gw.http.get(f"{gw.url}/api/products/{product_id}").json()["product"])


def test_reviews_keep_the_products_rating(gateway: Gateway) -> None:
    category = unique_category()
    product = create_product(gateway, category=category)
    pid = product["_id"]
    users = [f"u-{uuid.uuid4().hex[:8]}" for _ in range(3)]
    for user, stars in zip(users, (5, 4, 2), strict=True):
        assert review(gateway, pid, user, stars).status_code == 201  # type: ignore[attr-defined]
    eventually(lambda: product_of(gateway, pid)["ratingCount"] == 3)
    assert product_of(gateway, pid)["rating"] == 3.67
    # The rating reaches search through the product's own updated event.
    eventually(
        lambda: [r["ratingCount"] for r in search(gateway, category=category)["results"]] == [3]
    )

    listed = gateway.http.get(f"{gateway.url}/api/products/{pid}/reviews?pageSize=2").json()
    assert listed["total"] == 3 and len(listed["reviews"]) == 2
    rest = gateway.http.get(f"{gateway.url}/api/products/{pid}/reviews?pageSize=2&page=2").json()
    assert len(rest["reviews"]) == 1

    worst = next(r for r in listed["reviews"] + rest["reviews"] if r["rating"] == 2)
    hide_url = f"{gateway.url}/api/reviews/{worst['_id']}/hide"
    assert gateway.http.post(hide_url, headers=gateway.auth("user", users[0])).status_code == 403
    hidden = gateway.http.post(hide_url, headers=gateway.auth("admin", "mod"))
    assert hidden.status_code == 200 and hidden.json()["review"]["hidden"] is True
    assert gateway.http.post(hide_url, headers=gateway.auth("admin", "mod")).status_code == 200
    eventually(lambda: product_of(gateway, pid)["ratingCount"] == 2)
    assert product_of(gateway, pid)["rating"] == 4.5
    after = gateway.http.get(f"{gateway.url}/api/products/{pid}/reviews").json()
    assert after["total"] == 2


def test_one_review_per_user_and_product(gateway: Gateway) -> None:
    pid = create_product(gateway, category=unique_category())["_id"]
    assert review(gateway, pid, "u-once", 5).status_code == 201  # type: ignore[attr-defined]
    again = review(gateway, pid, "u-once", 1)
    assert again.status_code == 409  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "body", [{"rating": 0}, {"rating": 6}, {"rating": 3, "text": "x" * 2001}, {"rating": "5x"}]
)
def test_invalid_reviews_are_422(gateway: Gateway, body: dict[str, object]) -> None:
    pid = create_product(gateway, category=unique_category())["_id"]
    resp = gateway.http.post(
        f"{gateway.url}/api/products/{pid}/reviews", json=body, headers=gateway.auth("user")
    )
    assert resp.status_code == 422


def test_reviewing_needs_a_user_and_a_product(gateway: Gateway) -> None:
    pid = create_product(gateway, category=unique_category())["_id"]
    url = f"{gateway.url}/api/products/{pid}/reviews"
    assert gateway.http.post(url, json={"rating": 5}).status_code == 401
    assert (
        gateway.http.post(url, json={"rating": 5}, headers=gateway.auth("guest")).status_code == 403
    )
    missing = f"{gateway.url}/api/products/{uuid.uuid4().hex}/reviews"
    assert (
        gateway.http.post(missing, json={"rating": 5}, headers=gateway.auth("user")).status_code
        == 404
    )
