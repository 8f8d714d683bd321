"""GET /api/analytics/events/{eventType}: one event type per hour in a time range (admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from functions.analytics.ranges import RangeQuery
from functions.analytics.store import analytics_store
from shopfn.registry import http
from shopfn.web import Request


class HourCount(BaseModel):
    hour: datetime
    events: int


class Series(BaseModel):
    eventType: str
    start: datetime = Field(alias="from")
    end: datetime = Field(alias="to")
    total: int
    hours: list[HourCount]


@http(
    "GET",
    "/api/analytics/events/{eventType}",
    auth="admin",
    query=RangeQuery,
    response=Series,
    stores=("cassandra",),
    tags=("analytics",),
)
def analytics_event_series(req: Request) -> dict[str, Any]:
    """How many events of one type arrived in each hour of a range (hours with none left out)."""
    q: RangeQuery = req.args
    start, end = q.bounds()
    event_type = str(req.params["eventType"])
    series = analytics_store().type_series(event_type, start, end)
    return {
        "eventType": event_type,
        "from": start,
        "to": end,
        "total": sum(count for _, count in series),
        "hours": [{"hour": hour, "events": count} for hour, count in series],
    }
