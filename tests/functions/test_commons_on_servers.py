"""The commons' store-backed helpers against real servers: publish, idempotency, outbox."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from cloudevents.http import CloudEvent
from kafka import KafkaConsumer

from shopfn import bootstrap, config, events, idempotency, outbox
from shopfn.stores import pg_conn, redis_client, reset_clients

pytestmark = pytest.mark.servers("postgres", "redis", "kafka")


@pytest.fixture(scope="module")
def migrated(servers: dict[str, str]) -> None:
    bootstrap.migrate()


@pytest.fixture
def captured() -> Iterator[list[CloudEvent]]:
    seen: list[CloudEvent] = []
    events.set_local_sink(seen.append)
    yield seen
    events.set_local_sink(None)


def _event(**attrs: Any) -> CloudEvent:
    return events.new_event(
        "shop.user.registered.v1",
        {
            "userId": "u1",
            "email": "u1@example.com",
            "name": "U One",
            "role": "user",
            "registeredAt": "2026-11-23T10:00:00Z",
        },
        subject="u1",
        **attrs,
    )


def test_new_event_refuses_data_that_breaks_its_schema() -> None:
    with pytest.raises(events.EventError, match="email"):
        events.new_event("shop.user.registered.v1", {"userId": "u1"}, subject="u1")
    with pytest.raises(events.EventError, match="no schema"):
        events.new_event("shop.nothing.v1", {}, subject="x")


def test_publish_on_kafka_uses_the_cloudevents_binding(
    servers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = f"publish-{uuid.uuid4().hex[:8]}"
    monkeypatch.setenv("SHOPFN_EVENT_TRANSPORT", "kafka")
    monkeypatch.setenv("SHOPFN_KAFKA_TOPIC", topic)
    config.reload()
    reset_clients()
    try:
        event = _event()
        events.publish(event)
        consumer = KafkaConsumer(
            topic,
            bootstrap_servers=os.environ["SHOPFN_KAFKA_URL"],
            auto_offset_reset="earliest",
            consumer_timeout_ms=10_000,
            group_id=f"g-{uuid.uuid4().hex[:6]}",
        )
        message = next(iter(consumer))
        consumer.close()
    finally:
        monkeypatch.undo()
        config.reload()
        reset_clients()
    headers = dict(message.headers)
    assert headers["ce_id"].decode() == event["id"]
    assert headers["ce_type"].decode() == "shop.user.registered.v1"
    assert message.key == b"u1"  # the partition key: one aggregate, one partition, in order


def test_claim_pg_happens_once_and_forgets_on_rollback(migrated: None) -> None:
    event = _event()
    with pytest.raises(RuntimeError), pg_conn() as conn, conn.cursor() as cur:
        assert idempotency.claim_pg(cur, "test-consumer", event)
        raise RuntimeError("the effect failed")
    with pg_conn() as conn, conn.cursor() as cur:
        assert idempotency.claim_pg(cur, "test-consumer", event)
    with pg_conn() as conn, conn.cursor() as cur:
        assert not idempotency.claim_pg(cur, "test-consumer", event)
        assert idempotency.claim_pg(cur, "another-consumer", event)


def test_redis_once_runs_the_effect_with_its_marker(servers: dict[str, str]) -> None:
    event = _event()
    key = f"test:counter:{uuid.uuid4().hex}"
    for _ in range(3):
        idempotency.redis_once("test-consumer", event, lambda pipe: pipe.incr(key))
    assert redis_client().get(key) == "1"


def test_outbox_publishes_after_commit_and_relays_leftovers(
    migrated: None, captured: list[CloudEvent]
) -> None:
    kept, lost = _event(), _event()
    with pg_conn() as conn, conn.cursor() as cur:
        outbox.write(cur, kept)
        outbox.write(cur, lost)
    # A crash after commit: only `kept` was published by its writer.
    assert outbox.relay([kept["id"]]) == 1
    assert [e["id"] for e in captured] == [kept["id"]]
    assert outbox.relay() >= 1
    assert lost["id"] in [e["id"] for e in captured]
    assert outbox.relay([kept["id"], lost["id"]]) == 0


def test_outbox_row_vanishes_with_a_rolled_back_transaction(
    migrated: None, captured: list[CloudEvent]
) -> None:
    event = _event()
    with pytest.raises(RuntimeError), pg_conn() as conn, conn.cursor() as cur:
        outbox.write(cur, event)
        raise RuntimeError("the order insert failed")
    assert outbox.relay([event["id"]]) == 0
    assert not captured


def test_outbox_keeps_an_event_the_broker_refused(
    migrated: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = _event()
    with pg_conn() as conn, conn.cursor() as cur:
        outbox.write(cur, event)

    def refuse(e: CloudEvent) -> None:
        raise ConnectionError("broker down")

    events.set_local_sink(refuse)
    try:
        assert outbox.relay([event["id"]]) == 0
    finally:
        events.set_local_sink(None)
    with pg_conn() as conn, conn.cursor() as cur:
        cur.execute("SELECT attempts, published_at FROM outbox WHERE event_id = %s", (event["id"],))
        assert cur.fetchone() == (1, None)
