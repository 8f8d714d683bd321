"""Prometheus metrics every function exports at `/metrics`.

Every metric of the platform is declared here, on one registry, so the dashboards and alert rules
(helm/shopfn/dashboards, helm/shopfn/alerts) can be checked against what the code exports.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest

REGISTRY = CollectorRegistry(auto_describe=True)

# Buckets reach below 5 ms because warm functions answer that fast; p50/p95/p99 come from them.
_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

# --- requests and events, recorded by shopfn.web for every function ---------------------------
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
dead_letters = Counter(
    "shopfn_dead_letters_total",
    "Events the broker gave up on, counted where the dead-letter sink receives them",
    ["subscriber", "type"],
    registry=REGISTRY,
)

# --- the broker's side of delivery (the emulator's broker calls record_delivery) -------------
broker_deliveries = Counter(
    "shopfn_broker_deliveries_total",
    "Delivery attempts by the broker, by subscriber, event type and outcome"
    " (delivered, retry, dead-lettered, failed)",
    ["subscriber", "type", "outcome"],
    registry=REGISTRY,
)

# --- edge: rate limits and circuit breakers ---------------------------------------------------
ratelimit_decisions = Counter(
    "shopfn_ratelimit_decisions_total",
    "Rate-limit decisions by route group: allowed, refused, or fail-open (Redis unreachable)",
    ["group", "decision"],
    registry=REGISTRY,
)
circuit_state = Gauge(
    "shopfn_circuit_state",
    "Circuit breaker state per dependency: 0 closed, 1 half-open, 2 open",
    ["dependency"],
    registry=REGISTRY,
)
circuit_transitions = Counter(
    "shopfn_circuit_transitions_total",
    "Circuit breaker state changes, by dependency and the state entered",
    ["dependency", "state"],
    registry=REGISTRY,
)
circuit_rejections = Counter(
    "shopfn_circuit_rejections_total",
    "Calls refused at once because the dependency's circuit was open",
    ["dependency"],
    registry=REGISTRY,
)

# --- business counters: what the shop did, for dashboards and alerts ------------------------
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
saga_steps = Counter(
    "shopfn_saga_steps_total",
    "Order saga steps, by step and outcome (ok, failed, compensated)",
    ["step", "outcome"],
    registry=REGISTRY,
)
sagas_stuck = Gauge(
    "shopfn_sagas_stuck",
    "Sagas past their deadline and not finished, as last counted by the saga's timeout check",
    registry=REGISTRY,
)


def record_delivery(subscriber: str, event_type: str, outcome: str) -> None:
    """One broker delivery attempt's outcome: delivered, retry, dead-lettered or failed."""
    broker_deliveries.labels(subscriber, event_type, outcome).inc()


def exposition() -> tuple[bytes, str]:
    """The text format body and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
