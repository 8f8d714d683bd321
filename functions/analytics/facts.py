"""What one shop event adds to the analytics: pure, so the counting rules are tested alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from functions.analytics.buckets import day_of, hour_of

USER_REGISTERED = "shop.user.registered.v1"
ORDER_CONFIRMED = "shop.order.confirmed.v1"
PAYMENT_REFUNDED = "shop.payment.refunded.v1"


def cents(amount: Any) -> int:
    """Money is counted in integer cents: counters are integers and floats drift."""
    return round(float(amount) * 100)


@dataclass(frozen=True)
class ProductLine:
    product_id: str
    name: str
    quantity: int
    revenue_cents: int


@dataclass(frozen=True)
class Facts:
    """The increments one event makes, in its hour and day."""

    event_type: str
    hour: datetime
    users: int = 0
    orders: int = 0
    items: int = 0
    revenue_cents: int = 0
    refunds: int = 0
    refund_cents: int = 0
    products: tuple[ProductLine, ...] = ()

    @property
    def day(self) -> date:
        return day_of(self.hour)

    @property
    def is_sale(self) -> bool:
        return bool(self.orders or self.refunds)


def facts_of(event_type: str, data: dict[str, Any], at: datetime) -> Facts:
    """Every event counts once for its type; registrations, sales and refunds count more."""
    hour = hour_of(at)
    if event_type == USER_REGISTERED:
        return Facts(event_type, hour, users=1)
    if event_type == ORDER_CONFIRMED:
        lines = tuple(
            ProductLine(
                str(item["productId"]),
                str(item.get("name", "")),
                int(item["quantity"]),
                cents(item["unitPrice"]) * int(item["quantity"]),
            )
            for item in data.get("items", [])
        )
        return Facts(
            event_type,
            hour,
            orders=1,
            items=sum(line.quantity for line in lines),
            revenue_cents=cents(data["total"]),
            products=lines,
        )
    if event_type == PAYMENT_REFUNDED:
        return Facts(event_type, hour, refunds=1, refund_cents=cents(data["amount"]))
    return Facts(event_type, hour)
