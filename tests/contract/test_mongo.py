"""Contract: what shopfn relies on from MongoDB, checked through pymongo on the embedded server.

The embedded server is FerretDB 1.24 on PostgreSQL. Its `$group` knows `$sum` and `$count`
only (no `$avg`, `$min`, `$max`), and it has no multi-document transactions.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from typing import Any

import pymongo
import pytest
from pymongo import ReturnDocument
from pymongo.collection import Collection
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

pytestmark = [pytest.mark.servers("mongo"), pytest.mark.timeout(120)]

CATALOG_SIZE = 20_000
CATEGORIES = 20

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def db(servers: dict[str, str]) -> Iterator[Database[Doc]]:
    client: pymongo.MongoClient[Doc] = pymongo.MongoClient(
        servers["SHOPFN_MONGO_URL"], serverSelectionTimeoutMS=5000
    )
    name = f"contract_{uuid.uuid4().hex[:10]}"
    try:
        yield client[name]
    finally:
        client.drop_database(name)
        client.close()


def product(i: int) -> Doc:
    return {
        "sku": f"SKU-{i:05d}",
        "name": f"Product {i}",
        "category": f"cat{i % CATEGORIES}",
        "price_cents": 100 + i % 500,
        "stock": i % 50,
    }


@pytest.fixture(scope="module")
def catalog(db: Database[Doc]) -> Collection[Doc]:
    products = db["products"]
    products.create_index("sku", unique=True)
    result = products.insert_many([product(i) for i in range(CATALOG_SIZE)])
    assert len(result.inserted_ids) == CATALOG_SIZE
    return products


def test_catalog_counts_and_finds_by_unique_key(catalog: Collection[Doc]) -> None:
    assert catalog.count_documents({}) == CATALOG_SIZE
    assert catalog.count_documents({"category": "cat3"}) == CATALOG_SIZE // CATEGORIES
    found = catalog.find_one({"sku": "SKU-19999"})
    assert found is not None
    assert found["name"] == "Product 19999"
    assert "sku_1" in catalog.index_information()


def test_unique_index_refuses_a_duplicate(catalog: Collection[Doc]) -> None:
    with pytest.raises(DuplicateKeyError) as raised:
        catalog.insert_one({"sku": "SKU-00001", "name": "copy"})
    assert raised.value.code == 11000
    assert catalog.count_documents({"sku": "SKU-00001"}) == 1


def test_sort_skip_limit_pages_in_order(catalog: Collection[Doc]) -> None:
    query = {"category": "cat3"}
    expected = sorted(
        (p for p in map(product, range(CATALOG_SIZE)) if p["category"] == "cat3"),
        key=lambda p: (-p["price_cents"], p["sku"]),
    )[10:15]
    page = list(
        catalog.find(query, {"_id": 0, "sku": 1})
        .sort([("price_cents", -1), ("sku", 1)])
        .skip(10)
        .limit(5)
    )
    assert [p["sku"] for p in page] == [p["sku"] for p in expected]


def test_group_with_several_accumulators(catalog: Collection[Doc]) -> None:
    # Two accumulators in one $group: FerretDB 1.24 needs our build patch for the second one.
    rows = list(
        catalog.aggregate(
            [
                {"$match": {"category": {"$in": ["cat0", "cat1"]}}},
                {
                    "$group": {
                        "_id": "$category",
                        "n": {"$sum": 1},
                        "cents": {"$sum": "$price_cents"},
                    }
                },
                {"$sort": {"_id": 1}},
            ]
        )
    )
    expected = {
        cat: [p["price_cents"] for p in map(product, range(CATALOG_SIZE)) if p["category"] == cat]
        for cat in ("cat0", "cat1")
    }
    assert rows == [
        {"_id": cat, "n": len(prices), "cents": sum(prices)} for cat, prices in expected.items()
    ]


def test_conditional_inc_never_oversells(db: Database[Doc]) -> None:
    stock = db["stock"]
    stock.insert_one({"sku": "S1", "stock": 10})

    def reserve(quantity: int) -> bool:
        result = stock.update_one(
            {"sku": "S1", "stock": {"$gte": quantity}}, {"$inc": {"stock": -quantity}}
        )
        return result.modified_count == 1

    assert reserve(3)
    assert not reserve(8)
    # 7 left, 20 buyers at once: exactly 7 succeed, whatever the interleaving.
    outcomes: list[bool] = []
    threads = [threading.Thread(target=lambda: outcomes.append(reserve(1))) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [False] * 13 + [True] * 7
    assert stock.find_one({"sku": "S1"}, {"_id": 0}) == {"sku": "S1", "stock": 0}


def test_find_one_and_update_returns_the_new_document(db: Database[Doc]) -> None:
    counters = db["counters"]
    first = counters.find_one_and_update(
        {"_id": "orders"},
        {"$inc": {"seq": 1}},
        upsert=True,
        return_document=ReturnDocument.AFTER,
    )
    second = counters.find_one_and_update(
        {"_id": "orders"}, {"$inc": {"seq": 1}}, return_document=ReturnDocument.AFTER
    )
    assert (first, second) == ({"_id": "orders", "seq": 1}, {"_id": "orders", "seq": 2})


def test_crud_round_trip(db: Database[Doc]) -> None:
    users = db["users"]
    users.create_index("email", unique=True)
    inserted = users.insert_one({"email": "a@shopfn.test", "roles": ["user"], "profile": {"n": 1}})
    users.update_one(
        {"_id": inserted.inserted_id}, {"$set": {"profile.n": 2}, "$push": {"roles": "admin"}}
    )
    assert users.find_one({"email": "a@shopfn.test"}, {"_id": 0}) == {
        "email": "a@shopfn.test",
        "roles": ["user", "admin"],
        "profile": {"n": 2},
    }
    assert users.delete_one({"_id": inserted.inserted_id}).deleted_count == 1
    assert users.find_one({"email": "a@shopfn.test"}) is None
