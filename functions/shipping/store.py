"""Shipments in PostgreSQL: one per order, with its tracking id."""

from __future__ import annotations

from typing import Any

from functions.saga.messages import lock_order
from functions.shipping.core import (
    DISPATCHED,
    FAILED,
    SCHEDULED,
    cancel_plan,
    failure_reason,
    new_tracking_id,
    schedule_answer,
)


def schedule(cur: Any, order_id: str, user_id: str, address: str) -> tuple[bool, str, str]:
    """Schedule the order's shipment once: (scheduled?, reason, tracking id)."""
    lock_order(cur, "shipping", order_id)
    cur.execute(
        "SELECT status, reason, tracking_id FROM shipments WHERE order_id = %s", (order_id,)
    )
    row = cur.fetchone()
    if row is not None:
        scheduled, reason = schedule_answer(row[0], row[1])
        return scheduled, reason, row[2]
    reason = failure_reason(address) or ""
    tracking_id = new_tracking_id()
    cur.execute(
        "INSERT INTO shipments (order_id, tracking_id, user_id, address, status, reason)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (order_id, tracking_id, user_id, address, FAILED if reason else SCHEDULED, reason),
    )
    return not reason, reason, tracking_id


def cancel(cur: Any, order_id: str, user_id: str) -> tuple[bool, str]:
    """Cancel the order's shipment (or leave a tombstone): (cancelled?, tracking id)."""
    lock_order(cur, "shipping", order_id)
    cur.execute("SELECT status, tracking_id FROM shipments WHERE order_id = %s", (order_id,))
    row = cur.fetchone()
    new_status, cancelled = cancel_plan(row[0] if row else None)
    if row is None:
        cur.execute(
            "INSERT INTO shipments (order_id, tracking_id, user_id, address, status)"
            " VALUES (%s, %s, %s, '', %s)",
            (order_id, new_tracking_id(), user_id, new_status),
        )
        return True, ""
    if new_status != row[0]:
        cur.execute(
            "UPDATE shipments SET status = %s, updated_at = now() WHERE order_id = %s",
            (new_status, order_id),
        )
    return cancelled, row[1]


def dispatch(cur: Any, order_id: str) -> tuple[str, str, str] | None:
    """Mark a scheduled shipment as dispatched: (user id, tracking id, status before), or None
    when the order has no shipment. Only a scheduled shipment changes."""
    lock_order(cur, "shipping", order_id)
    cur.execute(
        "SELECT user_id, tracking_id, status FROM shipments WHERE order_id = %s", (order_id,)
    )
    row = cur.fetchone()
    if row is None:
        return None
    if row[2] == SCHEDULED:
        cur.execute(
            "UPDATE shipments SET status = %s, dispatched_at = now(), updated_at = now()"
            " WHERE order_id = %s",
            (DISPATCHED, order_id),
        )
    return row[0], row[1], row[2]
