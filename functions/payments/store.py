"""Payments in PostgreSQL: one record per order, so no order is ever charged twice."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from functions.payments.core import (
    CHARGED,
    DECLINED,
    DEFAULT_LIMIT,
    charge_answer,
    decline_reason,
    refund_plan,
)
from functions.saga.messages import lock_order
from shopfn.config import settings


def payment_limit() -> Decimal:
    return Decimal(settings().get("PAYMENT_LIMIT") or DEFAULT_LIMIT)


def _new_payment_id() -> str:
    return "pay_" + uuid.uuid4().hex


def charge(
    cur: Any, order_id: str, user_id: str, amount: Decimal, currency: str, card_last4: str
) -> tuple[bool, str, str]:
    """Charge the order once: (charged?, reason, payment id)."""
    lock_order(cur, "payments", order_id)
    cur.execute("SELECT status, reason, payment_id FROM payments WHERE order_id = %s", (order_id,))
    row = cur.fetchone()
    if row is not None:
        charged, reason = charge_answer(row[0], row[1])
        return charged, reason, row[2]
    reason = decline_reason(card_last4, amount, payment_limit()) or ""
    payment_id = _new_payment_id()
    cur.execute(
        "INSERT INTO payments (order_id, payment_id, user_id, amount, currency, card_last4,"
        " status, reason) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
        (
            order_id,
            payment_id,
            user_id,
            amount,
            currency,
            card_last4,
            DECLINED if reason else CHARGED,
            reason,
        ),
    )
    return not reason, reason, payment_id


def refund(cur: Any, order_id: str, user_id: str) -> tuple[bool, str, Decimal, str]:
    """Refund the order's charge (or leave a tombstone): (money moved back?, payment id,
    amount, currency). A repeated refund answers like the first one, moving nothing."""
    lock_order(cur, "payments", order_id)
    cur.execute(
        "SELECT status, payment_id, amount, currency FROM payments WHERE order_id = %s",
        (order_id,),
    )
    row = cur.fetchone()
    new_status, refund_now = refund_plan(row[0] if row else None)
    if row is None:
        payment_id = _new_payment_id()
        cur.execute(
            "INSERT INTO payments (order_id, payment_id, user_id, amount, currency, status)"
            " VALUES (%s, %s, %s, 0, 'XXX', %s)",
            (order_id, payment_id, user_id, new_status),
        )
        return False, payment_id, Decimal(0), "XXX"
    if refund_now:
        cur.execute(
            "UPDATE payments SET status = %s, refunded_at = now() WHERE order_id = %s",
            (new_status, order_id),
        )
    refunded = refund_now or row[0] == "refunded"
    return refunded, row[1], Decimal(row[2]), row[3]


def taken(cur: Any, order_id: str) -> Decimal:
    """Money currently held for the order (for tests and the admin view)."""
    cur.execute("SELECT status, amount FROM payments WHERE order_id = %s", (order_id,))
    row = cur.fetchone()
    return Decimal(row[1]) if row and row[0] == CHARGED else Decimal(0)
