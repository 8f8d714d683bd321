"""GET /api/analytics/summary: totals, events by type, sales per hour, top products (admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from functions.analytics.buckets import days_in
from functions.analytics.ranges import RangeQuery
from functions.analytics.store import analytics_store
from shopfn.registry import http
from shopfn.web import Request


class SummaryQuery(RangeQuery):
    top: int = Field(default=10, ge=1, le=100)


class HourSales(BaseModel):
    hour: datetime
    orders: int
    items: int
    revenue: float
    refunds: int
    refunded: float


class TopProduct(BaseModel):
    productId: str
    name: str
    quantity: int
    revenue: float


class Summary(BaseModel):
    totalUsers: int
    totalOrders: int
    totalRevenue: float
    totalRefunded: float
    totalEvents: int
    start: datetime = Field(alias="from")
    end: datetime = Field(alias="to")
    eventsByType: dict[str, int]
    salesPerHour: list[HourSales]
    topProducts: list[TopProduct]


def money(cents: int) -> float:
    return round(cents / 100, 2)


@http(
    "GET",
    "/api/analytics/summary",
    auth="admin",
    query=SummaryQuery,
    response=Summary,
    stores=("cassandra",),
    tags=("analytics",),
)
def analytics_summary(req: Request) -> dict[str, Any]:
    """The dashboard: all-time totals, and events, sales and top products in a time range."""
    q: SummaryQuery = req.args
    start, end = q.bounds()
    store = analytics_store()
    totals = store.totals()
    return {
        "totalUsers": totals["users"],
        "totalOrders": totals["orders"],
        "totalRevenue": money(totals["revenue_cents"]),
        "totalRefunded": money(totals["refund_cents"]),
        "totalEvents": totals["events"],
        "from": start,
        "to": end,
        "eventsByType": store.events_by_type(start, end),
        "salesPerHour": [
            {
                "hour": s.hour,
                "orders": s.orders,
                "items": s.items,
                "revenue": money(s.revenue_cents),
                "refunds": s.refunds,
                "refunded": money(s.refund_cents),
            }
            for s in store.sales_per_hour(start, end)
        ],
        "topProducts": [
            {
                "productId": p.product_id,
                "name": p.name,
                "quantity": p.quantity,
                "revenue": money(p.revenue_cents),
            }
            for p in store.top_products(days_in(start, end), q.top)
        ],
    }
