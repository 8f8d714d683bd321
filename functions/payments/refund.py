"""Consumer of the saga's RefundPayment: give the order's money back, once."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.payments.store import refund
from functions.saga.core import PAYMENT_REFUNDED, PAYMENT_VOIDED, REFUND_PAYMENT
from functions.saga.db import transaction
from functions.saga.messages import answer, money, utc_now
from shopfn.events import event_data
from shopfn.registry import Scale, on_event


@on_event(
    REFUND_PAYMENT,
    scale=Scale(max=5, concurrency=50),
    stores=("postgres",),
    emits=(PAYMENT_REFUNDED, PAYMENT_VOIDED),
)
def payments_refund(event: CloudEvent) -> CloudEvent:
    """Refund an order's payment; answer refunded, or voided when nothing was charged."""
    data = event_data(event)
    order_id, user_id = data["orderId"], data["userId"]
    with transaction() as cur:
        refunded, payment_id, amount, currency = refund(cur, order_id, user_id)
    if not refunded:
        return answer(
            PAYMENT_VOIDED,
            order_id,
            {"orderId": order_id, "userId": user_id, "voidedAt": utc_now()},
        )
    return answer(
        PAYMENT_REFUNDED,
        order_id,
        {
            "orderId": order_id,
            "userId": user_id,
            "paymentId": payment_id,
            "amount": money(amount),
            "currency": currency,
            "refundedAt": utc_now(),
        },
    )
