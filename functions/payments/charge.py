"""Consumer of the saga's ProcessPayment: charge the order's total, at most once."""

from __future__ import annotations

from decimal import Decimal

from cloudevents.http import CloudEvent

from functions.payments.store import charge
from functions.saga.core import PAYMENT_CHARGED, PAYMENT_DECLINED, PROCESS_PAYMENT
from functions.saga.db import transaction
from functions.saga.messages import answer, money, utc_now
from shopfn.events import event_data
from shopfn.registry import Scale, on_event


@on_event(
    PROCESS_PAYMENT,
    scale=Scale(max=10, concurrency=50),
    stores=("postgres",),
    emits=(PAYMENT_CHARGED, PAYMENT_DECLINED),
)
def payments_charge(event: CloudEvent) -> CloudEvent:
    """Charge an order through the simulated provider; answer charged or declined."""
    data = event_data(event)
    order_id, user_id = data["orderId"], data["userId"]
    amount = Decimal(str(data["amount"]))
    with transaction() as cur:
        charged, reason, payment_id = charge(
            cur, order_id, user_id, amount, data["currency"], data["cardLast4"]
        )
    if not charged:
        return answer(
            PAYMENT_DECLINED, order_id, {"orderId": order_id, "userId": user_id, "reason": reason}
        )
    return answer(
        PAYMENT_CHARGED,
        order_id,
        {
            "orderId": order_id,
            "userId": user_id,
            "paymentId": payment_id,
            "amount": money(amount),
            "currency": data["currency"],
            "chargedAt": utc_now(),
        },
    )
