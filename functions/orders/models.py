"""The order shapes the clients see, and the request bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["PENDING", "CONFIRMED", "SHIPPED", "CANCELLED"]


class OrderItem(BaseModel):
    productId: str
    name: str
    quantity: int
    unitPrice: float


class Order(BaseModel):
    id: str
    userId: str
    status: Status
    items: list[OrderItem]
    total: float
    currency: str
    reason: str = ""
    trackingId: str = ""
    shippingAddress: str = ""
    createdAt: datetime
    updatedAt: datetime
    confirmedAt: datetime | None = None
    cancelledAt: datetime | None = None
    shippedAt: datetime | None = None


class OrderEnvelope(BaseModel):
    order: Order


class OrderList(BaseModel):
    orders: list[Order]
    total: int
    page: int
    pageSize: int


class OrderQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status | None = None
    page: int = Field(default=1, ge=1, le=10_000)
    pageSize: int = Field(default=20, ge=1, le=100)


COLUMNS = (
    "id, user_id, status, items, total, currency, reason, tracking_id, shipping_address,"
    " created_at, updated_at, confirmed_at, cancelled_at, shipped_at"
)


def order_from_row(row: tuple[Any, ...]) -> dict[str, Any]:
    """A row selected with COLUMNS as the API's order."""
    (
        oid,
        user_id,
        status,
        items,
        total,
        currency,
        reason,
        tracking_id,
        address,
        created,
        updated,
        confirmed,
        cancelled,
        shipped,
    ) = row
    order: dict[str, Any] = {
        "id": oid,
        "userId": user_id,
        "status": status,
        "items": items,
        "total": float(total),
        "currency": currency,
        "reason": reason,
        "trackingId": tracking_id,
        "shippingAddress": address,
        "createdAt": created,
        "updatedAt": updated,
    }
    for key, value in (
        ("confirmedAt", confirmed),
        ("cancelledAt", cancelled),
        ("shippedAt", shipped),
    ):
        if value is not None:
            order[key] = value
    return order
