"""Search end to end: indexing from events, text with typos, filters, facets, highlights,
version-aware indexing, and the MongoDB fallback when Elasticsearch is unreachable."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from functions.search.index import ensure_index
from functions.search.reindex import reindex
from shopfn import config, stores
from shopfn.events import new_event, publish
from tests.e2e.conftest import Gateway
from tests.e2e.shop_helpers import create_product, eventually, search, unique_category

pytestmark = pytest.mark.servers("mongo", "redis", "elasticsearch")


@pytest.fixture
def shelf(gateway: Gateway) -> Iterator[tuple[str, dict[str, dict[str, object]]]]:
    category = unique_category()
    made = {
        "headphones": create_product(
            gateway,
            name="Wireless Headphones",
            description="Noise cancelling, 30 hour battery",
            category=category,
            price=199.0,
            stock=4,
        ),
        "earbuds": create_product(
            gateway,
            name="Sport Earbuds",
            description="Sweat proof wireless earbuds",
            category=category,
            price=49.0,
            stock=0,
        ),
        "speaker": create_product(
            gateway,
            name="Bluetooth Speaker",
            description="Loud and waterproof",
            category=category,
            price=89.0,
            stock=12,
        ),
    }
    eventually(lambda: search(gateway, category=category)["total"] == 3)
    yield category, made


def test_text_search_with_typo_finds_and_highlights(gateway: Gateway, shelf: tuple) -> None:
    category, made = shelf
    found = search(gateway, q="wireles headphnes", category=category)
    assert found["source"] == "elasticsearch" and found["degraded"] is False
    assert [hit["_id"] for hit in found["results"]] == [made["headphones"]["_id"]]
    assert "<em>" in found["results"][0]["highlight"]["name"][0]


def test_filters_and_facets(gateway: Gateway, shelf: tuple) -> None:
    category, made = shelf
    wireless = search(gateway, q="wireless", category=category)
    assert {h["_id"] for h in wireless["results"]} == {
        made["headphones"]["_id"],
        made["earbuds"]["_id"],
    }
    in_stock = search(gateway, q="wireless", category=category, inStock="true")
    assert [h["_id"] for h in in_stock["results"]] == [made["headphones"]["_id"]]
    cheap = search(gateway, category=category, maxPrice=100, sort="price-asc")
    assert [h["price"] for h in cheap["results"]] == [49.0, 89.0]
    facets = search(gateway, category=category)["facets"]
    assert {"value": category, "count": 3} in facets["category"]
    price_counts = {f["key"]: f["count"] for f in facets["price"]}
    assert price_counts["25-50"] == 1 and price_counts["50-100"] == 1
    assert price_counts["100-250"] == 1


def test_updates_reach_the_index_and_late_events_lose(gateway: Gateway, shelf: tuple) -> None:
    category, made = shelf
    speaker = made["speaker"]
    url = f"{gateway.url}/api/products/{speaker['_id']}"
    admin = gateway.auth("admin", "admin-e2e")
    gateway.http.patch(url, json={"name": "Party Speaker"}, headers=admin)
    eventually(lambda: search(gateway, q="party", category=category)["total"] == 1)
    # A redelivered, older version of the product must not undo the rename.
    stale = {**speaker, "productId": speaker["_id"], "version": 1, "name": "Stale Speaker"}
    stale.pop("_id")
    publish(new_event("shop.product.updated.v1", stale, subject=speaker["_id"]))
    gateway.http.patch(url, json={"stock": 11}, headers=admin)  # a newer event after it
    eventually(lambda: search(gateway, q="party", category=category)["results"][0]["stock"] == 11)
    assert search(gateway, q="stale", category=category)["total"] == 0

    gateway.http.delete(url, headers=admin)
    eventually(lambda: search(gateway, category=category)["total"] == 2)


def test_falls_back_to_mongo_when_elasticsearch_is_down(gateway: Gateway, shelf: tuple) -> None:
    category, made = shelf
    saved = os.environ["SHOPFN_ELASTICSEARCH_URL"]
    os.environ["SHOPFN_ELASTICSEARCH_URL"] = "http://127.0.0.1:9"  # nothing listens there
    config.reload()
    stores.reset_clients()
    try:
        found = search(gateway, q="wireless", category=category)
    finally:
        os.environ["SHOPFN_ELASTICSEARCH_URL"] = saved
        config.reload()
        stores.reset_clients()
    assert found["source"] == "mongo" and found["degraded"] is True
    assert "unreachable" in found["notice"]
    assert {h["_id"] for h in found["results"]} == {
        made["headphones"]["_id"],
        made["earbuds"]["_id"],
    }
    # Which hit comes first is not the fallback's promise; that names are highlighted is.
    named = [h for h in found["results"] if "name" in h.get("highlight", {})]
    assert named and named[0]["highlight"]["name"][0].count("<em>") == 1
    assert {"value": category, "count": 2} in found["facets"]["category"]


def test_reindex_rebuilds_from_mongo(gateway: Gateway, shelf: tuple) -> None:
    category, _ = shelf
    count = reindex(say=lambda _: None)
    assert count >= 3
    assert search(gateway, category=category)["total"] == 3
    assert ensure_index().startswith(os.environ.get("SHOPFN_SEARCH_INDEX", "products"))


def test_bad_search_queries_are_422(gateway: Gateway) -> None:
    for params in ({"pageSize": 500}, {"q": "x" * 500}, {"minPrice": -1}, {"sort": "best"}):
        resp = gateway.http.get(f"{gateway.url}/api/search", params=params)
        assert resp.status_code == 422, params
