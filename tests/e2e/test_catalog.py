"""Catalog end to end: admin writes with versions and events, filters, sorts, cache invalidation."""

from __future__ import annotations

import pytest

from shopfn.stores import redis_client
from tests.e2e.conftest import Gateway
from tests.e2e.shop_helpers import create_product, eventually, products_of, unique_category

pytestmark = pytest.mark.servers("mongo", "redis", "elasticsearch")


def test_admin_creates_updates_and_deletes_a_product(gateway: Gateway) -> None:
    admin = gateway.auth("admin", "admin-e2e")
    product = create_product(gateway, category=unique_category())
    assert product["version"] == 1 and product["rating"] == 0.0
    url = f"{gateway.url}/api/products/{product['_id']}"
    assert gateway.http.get(url).json()["product"]["name"] == product["name"]

    changed = gateway.http.patch(url, json={"price": 80.5, "stock": 0}, headers=admin)
    assert changed.status_code == 200, changed.text
    assert changed.json()["product"]["version"] == 2
    eventually(lambda: gateway.http.get(url).json()["product"]["version"] == 2)
    fresh = gateway.http.get(url).json()["product"]
    assert (fresh["price"], fresh["stock"]) == (80.5, 0)

    assert gateway.http.delete(url, headers=admin).status_code == 204
    eventually(lambda: gateway.http.get(url).status_code == 404)
    assert gateway.http.delete(url, headers=admin).status_code == 404


def test_product_events_invalidate_the_cache(gateway: Gateway) -> None:
    product = create_product(gateway, category=unique_category())
    url = f"{gateway.url}/api/products/{product['_id']}"
    gateway.http.get(url)  # warms the cache
    assert redis_client().exists(f"catalog:product:{product['_id']}")
    gateway.http.patch(url, json={"name": "Renamed"}, headers=gateway.auth("admin", "a"))
    eventually(lambda: not redis_client().exists(f"catalog:product:{product['_id']}"))
    assert gateway.http.get(url).json()["product"]["name"] == "Renamed"


def test_filters_sorts_and_pages(gateway: Gateway) -> None:
    category = unique_category()
    prices = [(15.0, 3), (40.0, 0), (75.0, 8), (120.0, 1), (300.0, 0)]
    made = [create_product(gateway, category=category, price=p, stock=s) for p, s in prices]
    everything = products_of(gateway, category=category, pageSize=100)
    assert everything["total"] == 5
    assert {p["_id"] for p in everything["products"]} == {p["_id"] for p in made}

    cheap_first = products_of(gateway, category=category, sort="price-asc")
    assert [p["price"] for p in cheap_first["products"]] == [15.0, 40.0, 75.0, 120.0, 300.0]
    dear_first = products_of(gateway, category=category, sort="price-desc")
    assert dear_first["products"][0]["price"] == 300.0

    in_range = products_of(gateway, category=category, minPrice=30, maxPrice=150)
    assert sorted(p["price"] for p in in_range["products"]) == [40.0, 75.0, 120.0]
    in_stock = products_of(gateway, category=category, inStock="true", sort="price-asc")
    assert [p["price"] for p in in_stock["products"]] == [15.0, 75.0, 120.0]

    first = products_of(gateway, category=category, sort="price-asc", pageSize=2, page=1)
    second = products_of(gateway, category=category, sort="price-asc", pageSize=2, page=2)
    assert [p["price"] for p in first["products"] + second["products"]] == [15, 40, 75, 120]
    assert first["total"] == second["total"] == 5


def test_a_new_product_shows_up_in_a_cached_listing(gateway: Gateway) -> None:
    category = unique_category()
    create_product(gateway, category=category)
    assert products_of(gateway, category=category)["total"] == 1
    create_product(gateway, category=category)
    eventually(lambda: products_of(gateway, category=category)["total"] == 2)


@pytest.mark.parametrize(
    "params",
    [
        {"pageSize": 1000},
        {"page": 0},
        {"minPrice": -1},
        {"sort": "cheapest"},
        {"inStock": "maybe"},
        {"category": "NOT A CATEGORY"},
        {"unknown": "x"},
    ],
)
def test_bad_listing_queries_are_422(gateway: Gateway, params: dict[str, object]) -> None:
    resp = gateway.http.get(f"{gateway.url}/api/products", params=params)
    assert resp.status_code == 422
    assert resp.headers["Content-Type"] == "application/problem+json"


def test_only_admins_write_the_catalog(gateway: Gateway) -> None:
    body = {"name": "x", "price": 1, "category": "c", "stock": 1}
    url = f"{gateway.url}/api/products"
    assert gateway.http.post(url, json=body).status_code == 401
    assert gateway.http.post(url, json=body, headers=gateway.auth("user")).status_code == 403
    bad = gateway.http.post(url, json={**body, "price": -1}, headers=gateway.auth("admin"))
    assert bad.status_code == 422
