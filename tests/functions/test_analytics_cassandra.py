"""Analytics against a real Cassandra node: buckets, no double counting, summary numbers.

The node comes from the `servers` fixture (Apache Cassandra 5.0 from Maven Central jars, started
in the background) or from CASSANDRA_HOSTS when that is set.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import flask
import pytest
from cloudevents.http import CloudEvent

from functions.analytics.record import analytics_record
from functions.analytics.store import AnalyticsStore, _store_for, analytics_store
from shopfn import config, registry, stores, web
from shopfn.emulator.broker import Broker, DeliveryResult
from shopfn.emulator.gateway import triggers_for
from shopfn.events import new_event
from shopfn.servers.base import free_port

pytestmark = [pytest.mark.servers("cassandra"), pytest.mark.slow, pytest.mark.timeout(400)]

# A fixed past day, so the buckets do not depend on when the test runs.
DAY = datetime(2026, 3, 14, tzinfo=UTC)


def _fresh_clients() -> None:
    """Drop the Cassandra session and the store (other stores' clients are not ours to drop)."""
    config.reload()
    stores.cassandra_session.cache_clear()
    _store_for.cache_clear()


@pytest.fixture(scope="module")
def store(servers: dict[str, str]) -> Iterator[AnalyticsStore]:
    keyspace = f"analytics_test_{uuid.uuid4().hex[:10]}"
    saved = os.environ.get("SHOPFN_CASSANDRA_KEYSPACE")
    os.environ["SHOPFN_CASSANDRA_KEYSPACE"] = keyspace
    _fresh_clients()
    store = analytics_store()
    try:
        yield store
    finally:
        store.session.execute(f"DROP KEYSPACE IF EXISTS {keyspace}", timeout=60)
        # The store's cluster, and the one a test may have opened after it.
        clusters = {id(store.session.cluster): store.session.cluster}
        if stores.cassandra_session.cache_info().currsize:
            latest = stores.cassandra_session().cluster  # the cached one: no new connection
            clusters[id(latest)] = latest
        for cluster in clusters.values():
            cluster.shutdown()
        if saved is None:
            os.environ.pop("SHOPFN_CASSANDRA_KEYSPACE", None)
        else:
            os.environ["SHOPFN_CASSANDRA_KEYSPACE"] = saved
        _fresh_clients()


def event_at(event_type: str, data: dict[str, Any], at: datetime) -> CloudEvent:
    event = new_event(event_type, data, subject=str(data.get("orderId") or data.get("userId")))
    event["time"] = at.isoformat()
    return event


def confirmed(at: datetime, items: list[tuple[str, int, float]]) -> CloudEvent:
    order_id = f"o-{uuid.uuid4().hex[:8]}"
    lines = [
        {"productId": p, "name": f"Product {p}", "quantity": q, "unitPrice": price}
        for p, q, price in items
    ]
    data = {
        "orderId": order_id,
        "userId": "u-1",
        "items": lines,
        "total": round(sum(q * price for _, q, price in items), 2),
        "currency": "EUR",
        "confirmedAt": at.isoformat(),
    }
    return event_at("shop.order.confirmed.v1", data, at)


def registered(at: datetime) -> CloudEvent:
    user_id = f"u-{uuid.uuid4().hex[:8]}"
    data = {
        "userId": user_id,
        "email": f"{user_id}@example.com",
        "name": "Ada",
        "role": "user",
        "registeredAt": at.isoformat(),
    }
    return event_at("shop.user.registered.v1", data, at)


def refunded(at: datetime, amount: float) -> CloudEvent:
    data = {
        "orderId": "o-r",
        "userId": "u-1",
        "paymentId": "pay-1",
        "amount": amount,
        "refundedAt": at.isoformat(),
    }
    return event_at("shop.payment.refunded.v1", data, at)


def test_hour_buckets_split_at_the_hour_and_days_at_midnight(store: AnalyticsStore) -> None:
    day = DAY
    times = [
        day.replace(hour=10, minute=5),
        day.replace(hour=10, minute=59, second=59),
        day.replace(hour=11),
        day.replace(hour=23, minute=30),
        day + timedelta(days=1, minutes=10),
    ]
    for at in times:
        analytics_record(registered(at))
    series = store.type_series("shop.user.registered.v1", day, day + timedelta(days=2))
    assert series == [
        (day.replace(hour=10), 2),
        (day.replace(hour=11), 1),
        (day.replace(hour=23), 1),
        (day + timedelta(days=1), 1),
    ]
    # [from, to): 11:00 up to midnight leaves out 10:xx and the next day.
    assert store.type_series(
        "shop.user.registered.v1", day.replace(hour=11), day + timedelta(1)
    ) == [
        (day.replace(hour=11), 1),
        (day.replace(hour=23), 1),
    ]
    # A `from` inside an hour still counts that whole hour's bucket.
    late = store.events_by_type(day.replace(hour=10, minute=30), day.replace(hour=11))
    assert late == {"shop.user.registered.v1": 2}


def test_duplicate_deliveries_are_counted_once(store: AnalyticsStore) -> None:
    at = DAY + timedelta(days=3, hours=8)
    event = confirmed(at, [("p-dup", 2, 10.0)])
    before = store.totals()
    analytics_record(event)
    analytics_record(event)
    threads = [threading.Thread(target=analytics_record, args=(event,)) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    after = store.totals()
    assert after["orders"] - before["orders"] == 1
    assert after["revenue_cents"] - before["revenue_cents"] == 2000
    assert after["events"] - before["events"] == 1
    assert store.events_by_type(at, at + timedelta(hours=1)) == {"shop.order.confirmed.v1": 1}
    [sales] = store.sales_per_hour(at, at + timedelta(hours=1))
    assert (sales.orders, sales.items, sales.revenue_cents) == (1, 2, 2000)
    [product] = store.top_products([at.date()], 10)
    assert (product.product_id, product.quantity, product.revenue_cents) == ("p-dup", 2, 2000)
    # The same id from another source is another event.
    again = CloudEvent({**event.get_attributes(), "source": "/elsewhere"}, event.get_data())
    analytics_record(again)
    assert store.totals()["orders"] - before["orders"] == 2


def test_sales_and_top_products_add_up(store: AnalyticsStore) -> None:
    day = DAY + timedelta(days=10)
    nine, ten = day.replace(hour=9, minute=15), day.replace(hour=10, minute=45)
    analytics_record(confirmed(nine, [("p-a", 1, 100.0), ("p-b", 3, 5.0)]))
    analytics_record(confirmed(nine.replace(minute=50), [("p-b", 2, 5.0)]))
    analytics_record(confirmed(ten, [("p-c", 1, 999.99)]))
    analytics_record(refunded(ten, 5.0))
    analytics_record(registered(ten))

    sales = store.sales_per_hour(day, day + timedelta(days=1))
    assert [(s.hour.hour, s.orders, s.items, s.revenue_cents) for s in sales] == [
        (9, 2, 6, 12500),
        (10, 1, 1, 99999),
    ]
    assert (sales[1].refunds, sales[1].refund_cents) == (1, 500)
    top = store.top_products([day.date()], 2)
    assert [(p.product_id, p.name, p.quantity, p.revenue_cents) for p in top] == [
        ("p-b", "Product p-b", 5, 2500),
        ("p-c", "Product p-c", 1, 99999),  # a tie on quantity goes to the larger revenue
    ]
    assert store.events_by_type(day, day + timedelta(days=1)) == {
        "shop.order.confirmed.v1": 3,
        "shop.payment.refunded.v1": 1,
        "shop.user.registered.v1": 1,
    }


def test_events_wait_in_the_broker_until_cassandra_answers(
    store: AnalyticsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Cassandra "down": nobody listens on this port, so the consumer answers 5xx.
    monkeypatch.setenv("CASSANDRA_HOSTS", f"127.0.0.1:{free_port()}")
    _fresh_clients()
    spec = registry.get("analytics-record")
    app = flask.Flask("analytics-test")
    statuses: list[int] = []

    def deliver(name: str, headers: dict[str, str], body: bytes) -> DeliveryResult:
        assert name == spec.name
        with app.test_request_context("/", method="POST", headers=headers, data=body):
            answer = web.handle(spec, flask.request)
        statuses.append(answer.status_code)
        if len(statuses) == 2:  # Cassandra "comes up" after the second try
            monkeypatch.undo()
            _fresh_clients()
        return DeliveryResult(answer.status_code, dict(answer.headers), answer.get_data())

    broker = Broker(triggers_for({spec.name: spec}), deliver, dead_letter_sink=None, workers=1)
    broker.start()
    hour = DAY.replace(hour=5)
    try:
        broker.publish(registered(hour.replace(minute=30)))
        assert broker.drain(60)
    finally:
        broker.stop()
        monkeypatch.undo()
        _fresh_clients()
    assert statuses == [500, 500, 204]  # retried by the broker, then counted once
    assert store.type_series("shop.user.registered.v1", hour, hour + timedelta(hours=1)) == [
        (hour, 1)
    ]
