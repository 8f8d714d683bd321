"""Inventory against real PostgreSQL and the MongoDB-compatible catalog: atomic, never below
zero, once per order, tombstones for releases that overtake their reserve."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest

from functions.catalog.models import ProductCreate
from functions.catalog.store import new_product_doc
from functions.inventory.store import available, release, reserve, set_stock
from functions.saga.db import transaction
from shopfn import bootstrap
from shopfn.stores import mongo_db

pytestmark = [pytest.mark.servers("postgres", "mongo", "redis"), pytest.mark.timeout(120)]


@pytest.fixture(scope="session")
def mongo_closed_at_exit(servers: dict[str, str]) -> Iterator[None]:
    """Close the shared MongoDB client when the session ends (an unclosed one warns when it is
    collected); not sooner, since other modules' cached collections still use it."""
    yield
    mongo_db().client.close()


@pytest.fixture(scope="module")
def migrated(mongo_closed_at_exit: None) -> None:
    bootstrap.migrate()


def product(stock: int, name: str = "Desk lamp") -> str:
    """A product in the catalog, in the catalog's own shape."""
    doc = new_product_doc(ProductCreate(name=name, price=12.5, category="home", stock=stock))
    mongo_db()["products"].insert_one(doc)
    return str(doc["_id"])


def do_reserve(order_id: str, pid: str, qty: int = 1) -> tuple[bool, str]:
    with transaction() as cur:
        return reserve(cur, order_id, [{"productId": pid, "quantity": qty}])


def do_release(order_id: str) -> bool:
    with transaction() as cur:
        return release(cur, order_id)


def stock_of(pid: str) -> tuple[int, int]:
    """(inventory's stock, the catalog's mirrored stock)."""
    with transaction() as cur:
        left = available(cur, [pid])[pid]
    return left, int(mongo_db()["products"].find_one({"_id": pid})["stock"])


def test_fifty_concurrent_orders_for_ten_units_reserve_exactly_ten(migrated: None) -> None:
    pid = product(10)
    results: list[bool] = []
    lock = threading.Lock()

    def shopper() -> None:
        ok, _ = do_reserve(f"o-{uuid.uuid4().hex}", pid)
        with lock:
            results.append(ok)

    threads = [threading.Thread(target=shopper) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 50
    assert results.count(True) == 10
    assert stock_of(pid) == (0, 0)


def test_a_reservation_is_all_or_nothing_and_names_the_missing_product(migrated: None) -> None:
    plenty, scarce = product(5, "Chair"), product(1, "Sofa")
    order = f"o-{uuid.uuid4().hex}"
    with transaction() as cur:
        ok, reason = reserve(
            cur, order, [{"productId": plenty, "quantity": 2}, {"productId": scarce, "quantity": 2}]
        )
    assert (ok, reason) == (False, "out of stock: Sofa")
    assert stock_of(plenty) == (5, 5)
    assert stock_of(scarce) == (1, 1)


def test_redelivered_reserve_and_release_act_once(migrated: None) -> None:
    pid = product(3)
    order = f"o-{uuid.uuid4().hex}"
    assert do_reserve(order, pid, 2) == (True, "")
    assert do_reserve(order, pid, 2) == (True, "")
    assert stock_of(pid) == (1, 1)
    assert do_release(order) is True
    assert do_release(order) is False
    assert stock_of(pid) == (3, 3)


def test_concurrent_duplicates_of_one_reserve_take_stock_once(migrated: None) -> None:
    pid = product(10)
    order = f"o-{uuid.uuid4().hex}"
    threads = [threading.Thread(target=do_reserve, args=(order, pid, 3)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert stock_of(pid) == (7, 7)


def test_a_release_that_overtakes_its_reserve_leaves_a_tombstone(migrated: None) -> None:
    pid = product(4)
    order = f"o-{uuid.uuid4().hex}"
    assert do_release(order) is False
    ok, reason = do_reserve(order, pid)
    assert not ok and "cancelled" in reason
    assert stock_of(pid) == (4, 4)


def test_an_admins_newer_stock_figure_replaces_ours_and_a_late_older_one_does_not(
    migrated: None,
) -> None:
    pid = product(5)  # catalog version 1
    assert do_reserve(f"o-{uuid.uuid4().hex}", pid, 2) == (True, "")
    with transaction() as cur:
        assert set_stock(cur, pid, 5, 1) is False  # the creation event, arriving late
        assert set_stock(cur, pid, 20, 2) is True
        assert set_stock(cur, pid, 7, 2) is False
    assert stock_of(pid)[0] == 20
