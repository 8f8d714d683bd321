"""Prometheus metrics every function exports at `/metrics`."""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

# Buckets reach below 5 ms because warm functions answer that fast; p50/p95/p99 come from them.
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

http_requests = Counter(
    "shopfn_http_requests_total",
    "HTTP requests answered, by function, route, method and status",
    ["function", "route", "method", "status"],
    registry=REGISTRY,
)
http_latency = Histogram(
    "shopfn_http_request_duration_seconds",
    "HTTP request latency",
    ["function", "route"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
events_received = Counter(
    "shopfn_events_received_total",
    "Events handled by consumers, by outcome (ok, duplicate, retry, rejected)",
    ["function", "type", "outcome"],
    registry=REGISTRY,
)
event_latency = Histogram(
    "shopfn_event_handling_duration_seconds",
    "Time a consumer spent on one event",
    ["function", "type"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
events_published = Counter(
    "shopfn_events_published_total",
    "Events published, by type and transport",
    ["type", "transport"],
    registry=REGISTRY,
)


def exposition() -> tuple[bytes, str]:
    """The text format body and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST

# Business counters: what the shop did, for dashboards and alerts.
orders = Counter(
    "shopfn_orders_total",
    "Orders by lifecycle step reached (created, confirmed, cancelled, shipped)",
    ["state"],
    registry=REGISTRY,
)
saga_compensations = Counter(
    "shopfn_saga_compensations_total",
    "Compensating commands issued by the order saga, by command",
    ["command"],
    registry=REGISTRY,
)
revenue = Counter(
    "shopfn_revenue_total",
    "Revenue of confirmed orders, in the shop's currency",
    ["currency"],
    registry=REGISTRY,
)
