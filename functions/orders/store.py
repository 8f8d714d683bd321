"""Orders in PostgreSQL. Every status change and its event are written in one transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from cloudevents.http import CloudEvent
from psycopg2.extras import Json

from functions.orders.models import COLUMNS, order_from_row
from functions.saga.core import ORDER_CANCELLED, ORDER_CONFIRMED, ORDER_CREATED, ORDER_SHIPPED
from functions.saga.messages import answer, money
from shopfn import outbox
from shopfn.events import new_event
from shopfn.metrics import orders as orders_counter
from shopfn.metrics import revenue

PENDING, CONFIRMED, SHIPPED, CANCELLED = "PENDING", "CONFIRMED", "SHIPPED", "CANCELLED"


def new_order_id() -> str:
    return "ord_" + uuid.uuid4().hex


def create(
    cur: Any,
    user_id: str,
    items: list[dict[str, Any]],
    currency: str,
    card_last4: str,
    address: str,
) -> tuple[dict[str, Any], CloudEvent]:
    """Insert a PENDING order and its shop.order.created.v1 outbox row: (order, event)."""
    order_id = new_order_id()
    total = sum((Decimal(str(i["unitPrice"])) * int(i["quantity"]) for i in items), Decimal(0))
    now = datetime.now(UTC)
    cur.execute(
        f"INSERT INTO orders (id, user_id, status, items, total, currency, card_last4,"
        f" shipping_address, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s,"
        f" %s, %s) RETURNING {COLUMNS}",
        (order_id, user_id, PENDING, Json(items), total, currency, card_last4, address, now, now),
    )
    order = order_from_row(cur.fetchone())
    data = created_data(order_id, user_id, items, total, currency, now, card_last4, address)
    event = new_event(ORDER_CREATED, data, subject=order_id)
    outbox.write(cur, event)
    return order, event


def created_data(
    order_id: str,
    user_id: str,
    items: list[dict[str, Any]],
    total: Decimal,
    currency: str,
    created_at: datetime,
    card_last4: str,
    address: str,
) -> dict[str, Any]:
    """The data of an order's shop.order.created.v1."""
    return {
        "orderId": order_id,
        "userId": user_id,
        "items": items,
        "total": money(total),
        "currency": currency,
        "createdAt": created_at.isoformat(),
        "cardLast4": card_last4,
        "shippingAddress": address,
    }


def unstarted(cur: Any, older_than: float, limit: int = 200) -> list[dict[str, Any]]:
    """The created-event data of PENDING orders older than `older_than` seconds that have no
    saga: checkout starts both in one transaction, so these come from a deployment whose
    saga started on the delivery of shop.order.created.v1 and that stopped before it."""
    cur.execute(
        "SELECT id, user_id, items, total, currency, created_at, card_last4, shipping_address"
        " FROM orders o WHERE status = %s AND created_at < now() - make_interval(secs => %s)"
        " AND NOT EXISTS (SELECT 1 FROM sagas s WHERE s.order_id = o.id)"
        " ORDER BY created_at LIMIT %s",
        (PENDING, older_than, limit),
    )
    return [created_data(*row) for row in cur.fetchall()]


def fetch(cur: Any, order_id: str, *, lock: bool = False) -> dict[str, Any] | None:
    cur.execute(
        f"SELECT {COLUMNS} FROM orders WHERE id = %s" + (" FOR UPDATE" if lock else ""),
        (order_id,),
    )
    row = cur.fetchone()
    return order_from_row(row) if row else None


def page(
    cur: Any, user_id: str | None, status: str | None, page_no: int, size: int
) -> tuple[list[dict[str, Any]], int]:
    """Newest first; all users' when `user_id` is None."""
    where, args = [], []
    if user_id is not None:
        where.append("user_id = %s")
        args.append(user_id)
    if status is not None:
        where.append("status = %s")
        args.append(status)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    cur.execute(f"SELECT count(*) FROM orders{clause}", args)
    total = int(cur.fetchone()[0])
    cur.execute(
        f"SELECT {COLUMNS} FROM orders{clause} ORDER BY created_at DESC, id LIMIT %s OFFSET %s",
        [*args, size, (page_no - 1) * size],
    )
    return [order_from_row(row) for row in cur.fetchall()], total


def _set_status(cur: Any, order_id: str, status: str, stamp: str, **columns: str) -> dict[str, Any]:
    sets = ", ".join(f"{name} = %s" for name in columns)
    cur.execute(
        f"UPDATE orders SET status = %s, {stamp} = now(), updated_at = now()"
        f"{', ' + sets if sets else ''} WHERE id = %s RETURNING {COLUMNS}",
        (status, *columns.values(), order_id),
    )
    return order_from_row(cur.fetchone())


def confirmed_event(order: dict[str, Any]) -> CloudEvent:
    return answer(
        ORDER_CONFIRMED,
        order["id"],
        {
            "orderId": order["id"],
            "userId": order["userId"],
            "items": order["items"],
            "total": order["total"],
            "currency": order["currency"],
            "confirmedAt": order.get("confirmedAt") or order["updatedAt"],
            "trackingId": order["trackingId"],
        },
    )


def cancelled_event(order: dict[str, Any]) -> CloudEvent:
    return answer(
        ORDER_CANCELLED,
        order["id"],
        {
            "orderId": order["id"],
            "userId": order["userId"],
            "reason": order["reason"],
            "cancelledAt": order.get("cancelledAt") or order["updatedAt"],
        },
    )


def shipped_event(order: dict[str, Any]) -> CloudEvent:
    return answer(
        ORDER_SHIPPED,
        order["id"],
        {
            "orderId": order["id"],
            "userId": order["userId"],
            "trackingId": order["trackingId"],
            "shippedAt": order.get("shippedAt") or order["updatedAt"],
        },
    )


def confirm(cur: Any, order_id: str, tracking_id: str) -> tuple[dict[str, Any] | None, bool]:
    """PENDING -> CONFIRMED with its event in the outbox: (order, changed?)."""
    order = fetch(cur, order_id, lock=True)
    if order is None or order["status"] != PENDING:
        return order, False
    order = _set_status(cur, order_id, CONFIRMED, "confirmed_at", tracking_id=tracking_id)
    outbox.write(cur, confirmed_event(order))
    return order, True


def cancel(cur: Any, order_id: str, reason: str) -> tuple[dict[str, Any] | None, bool]:
    """PENDING/CONFIRMED -> CANCELLED with its event in the outbox: (order, changed?)."""
    order = fetch(cur, order_id, lock=True)
    if order is None or order["status"] not in (PENDING, CONFIRMED):
        return order, False
    order = _set_status(cur, order_id, CANCELLED, "cancelled_at", reason=reason)
    outbox.write(cur, cancelled_event(order))
    return order, True


def ship(cur: Any, order_id: str, tracking_id: str) -> tuple[dict[str, Any] | None, bool]:
    """CONFIRMED -> SHIPPED with its event in the outbox: (order, changed?)."""
    order = fetch(cur, order_id, lock=True)
    if order is None or order["status"] != CONFIRMED:
        return order, False
    order = _set_status(cur, order_id, SHIPPED, "shipped_at", tracking_id=tracking_id)
    outbox.write(cur, shipped_event(order))
    return order, True


def count_business(order: dict[str, Any], state: str) -> None:
    """The business counters, after the change committed."""
    orders_counter.labels(state).inc()
    if state == "confirmed":
        revenue.labels(order["currency"]).inc(order["total"])
