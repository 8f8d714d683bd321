"""Inventory's reservation table: merged quantities, answers to repeats, release tombstones."""

from __future__ import annotations

from functions.inventory import core


def test_items_merge_per_product_in_lock_order() -> None:
    items = [
        {"productId": "b", "quantity": 1},
        {"productId": "a", "quantity": 2},
        {"productId": "b", "quantity": 3},
    ]
    assert list(core.merge_items(items).items()) == [("a", 2), ("b", 4)]


def test_a_repeated_reserve_answers_like_the_first() -> None:
    assert core.reserve_answer(core.RESERVED, "") == (True, "")
    assert core.reserve_answer(core.REJECTED, "out of stock: Lamp") == (False, "out of stock: Lamp")
    assert core.reserve_answer(core.VOIDED, "") == (False, core.CANCELLED_REASON)


def test_release_gives_stock_back_once() -> None:
    assert core.release_plan(core.RESERVED) == (core.RELEASED, True)
    assert core.release_plan(core.RELEASED) == (core.RELEASED, False)
    assert core.release_plan(None) == (core.VOIDED, False)
    assert core.release_plan(core.REJECTED) == (core.REJECTED, False)
