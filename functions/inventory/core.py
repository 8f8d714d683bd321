"""Inventory rules, pure: what a reservation record's status means for each request.

A reservation is keyed by order id. A release that arrives before its reserve leaves a VOIDED
tombstone, so the late reserve is refused instead of taking stock for a cancelled order.
"""

from __future__ import annotations

RESERVED = "reserved"
REJECTED = "rejected"
VOIDED = "voided"  # released before it was ever reserved
RELEASED = "released"
CANCELLED_REASON = "order cancelled before its items were reserved"


def merge_items(items: list[dict[str, object]]) -> dict[str, int]:
    """Quantity per product, products sorted (rows are locked in this order: no deadlocks)."""
    totals: dict[str, int] = {}
    for item in items:
        pid = str(item["productId"])
        totals[pid] = totals.get(pid, 0) + int(str(item["quantity"]))
    return dict(sorted(totals.items()))


def reserve_answer(status: str, reason: str) -> tuple[bool, str]:
    """(reserved?, reason) for a reserve request on an order that already has a record."""
    if status == RESERVED:
        return True, ""
    if status == REJECTED:
        return False, reason
    return False, CANCELLED_REASON


def release_plan(status: str | None) -> tuple[str, bool]:
    """(new status, give the stock back?) for a release request."""
    if status is None:
        return VOIDED, False
    if status == RESERVED:
        return RELEASED, True
    return status, False


def out_of_stock(name: str) -> str:
    return f"out of stock: {name}"
