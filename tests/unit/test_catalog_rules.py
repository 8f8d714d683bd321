"""Pure catalog logic: filters, sorts, cache keys, events, request validation, seed data."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from itertools import islice

import pytest

from functions.catalog.models import ProductCreate, ProductQuery, ProductUpdate
from functions.catalog.query import event_data, list_cache_key, mongo_filter, mongo_sort
from functions.catalog.seeddata import CATALOG, make_products
from shopfn.events import validate_data
from shopfn.security import storable_text


def test_filters_translate_to_mongo() -> None:
    q = ProductQuery(category="shoes", minPrice=10, maxPrice=50, inStock=True)
    assert mongo_filter(q) == {
        "category": "shoes",
        "price": {"$gte": 10, "$lte": 50},
        "stock": {"$gt": 0},
    }
    assert mongo_filter(ProductQuery(inStock=False)) == {"stock": {"$lte": 0}}
    assert mongo_filter(ProductQuery()) == {}


def test_every_sort_ends_with_a_unique_tie_breaker() -> None:
    for sort in ("newest", "price-asc", "price-desc", "rating"):
        assert mongo_sort(sort)[-1] == ("_id", 1)  # type: ignore[arg-type]
    assert mongo_sort("price-desc")[0] == ("price", -1)


def test_cache_keys_follow_the_query_and_the_generation() -> None:
    a, b = ProductQuery(category="x"), ProductQuery(category="x", page=2)
    assert list_cache_key(1, a) == list_cache_key(1, ProductQuery(category="x"))
    assert list_cache_key(1, a) != list_cache_key(1, b)
    assert list_cache_key(1, a) != list_cache_key(2, a)


def test_event_data_matches_the_event_schema() -> None:
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    doc = {
        "_id": "p1",
        "name": "Kettle",
        "description": "",
        "price": 20.0,
        "category": "kitchen",
        "stock": 3,
        "specifications": None,
        "rating": 0.0,
        "ratingCount": 0,
        "createdAt": now,
        "version": 4,
    }
    data = event_data(doc)
    assert data["version"] == 4 and data["updatedAt"] == now.isoformat()
    validate_data("shop.product.updated.v1", data)


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "price": 0, "category": "c", "stock": 1},
        {"name": "x", "price": True, "category": "c", "stock": 1},
        {"name": "x", "price": 1, "category": "Bad Cat", "stock": 1},
        {"name": "x", "price": 1, "category": "c", "stock": False},
        {"name": "x", "price": 1, "category": "c", "stock": 1, "specifications": {"": 1}},
        {"name": "x", "price": 1, "category": "c", "stock": 1, "extra": 1},
    ],
)
def test_invalid_products_are_refused(body: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ProductCreate.model_validate(body)


@pytest.mark.parametrize("body", [{}, {"price": None}, {"stock": None}])
def test_updates_change_something_and_never_null_a_field(body: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ProductUpdate.model_validate(body)


def test_specifications_may_be_cleared() -> None:
    assert ProductUpdate.model_validate({"specifications": None}).model_fields_set == {
        "specifications"
    }


def test_seed_data_is_deterministic_varied_and_valid() -> None:
    first = list(islice(make_products(2000), 2000))
    assert first == list(make_products(2000))
    assert len({p["_id"] for p in first}) == 2000
    assert len({p["name"] for p in first}) > 1900
    categories = Counter(p["category"] for p in first)
    assert set(categories) == set(CATALOG) and min(categories.values()) > 100
    for product in first[:300]:
        ProductCreate.model_validate(
            {k: product[k] for k in ("name", "description", "price", "category", "stock")}
            | {"specifications": product["specifications"]}
        )
    assert any(p["stock"] == 0 for p in first) and any(p["rating"] == 0 for p in first)


def test_text_is_made_storable_and_spec_names_fit_mongodb() -> None:
    body = {"name": "Tea\ud800pot", "price": 5, "category": "kitchen", "stock": 1}
    specs = {"size\udfff": "L", "x\u0000": "a\u0000b"}
    # What the web layer does to every JSON body before validation.
    product = ProductCreate.model_validate(storable_text({**body, "specifications": specs}))
    assert product.name == "Tea\ufffdpot"
    assert product.specifications == {"size\ufffd": "L", "x\ufffd": "a\ufffdb"}
    for bad in ("a.b", "$where"):
        with pytest.raises(ValueError):
            ProductCreate.model_validate({**body, "specifications": {bad: 1}})


def test_specification_values_are_bounded_and_not_coerced() -> None:
    body = {"name": "Mug", "price": 5, "category": "kitchen", "stock": 1}
    with pytest.raises(ValueError):
        ProductCreate.model_validate({**body, "specifications": {"size": "0" * 201}})
    specs = {"volume": 0.3, "pieces": 2, "dishwasher": True, "color": "blue"}
    assert ProductCreate.model_validate({**body, "specifications": specs}).specifications == specs
