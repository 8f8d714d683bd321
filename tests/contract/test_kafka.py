"""Contract: what the Kafka transport relies on, checked through kafka-python."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic

pytestmark = [pytest.mark.servers("kafka"), pytest.mark.timeout(60)]

PARTITIONS = 3


@pytest.fixture
def bootstrap(servers: dict[str, str]) -> str:
    return servers["SHOPFN_KAFKA_URL"]


@pytest.fixture
def topic(bootstrap: str) -> Iterator[str]:
    name = f"contract-{uuid.uuid4().hex[:10]}"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    try:
        admin.create_topics([NewTopic(name, num_partitions=PARTITIONS, replication_factor=1)])
        yield name
        admin.delete_topics([name])
    finally:
        admin.close()


def consume(bootstrap: str, topic: str, group: str, expected: int) -> list[Any]:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=10_000,
    )
    records: list[Any] = []
    try:
        for record in consumer:
            records.append(record)
            consumer.commit()
            if len(records) == expected:
                break
    finally:
        consumer.close()
    return records


def test_produce_and_consume_with_headers_across_partitions(bootstrap: str, topic: str) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    keys = [f"order-{n}".encode() for n in range(12)]
    try:
        for n, key in enumerate(keys):
            headers = [("ce_type", b"order.created"), ("ce_id", str(n).encode())]
            producer.send(topic, key=key, value=f"payload-{n}".encode(), headers=headers)
        producer.flush(timeout=10)
        assert producer.partitions_for(topic) == set(range(PARTITIONS))
    finally:
        producer.close()

    records = consume(bootstrap, topic, f"group-{uuid.uuid4().hex[:6]}", len(keys))
    assert len(records) == len(keys)
    by_key = {r.key: r for r in records}
    assert set(by_key) == set(keys)
    first = by_key[b"order-0"]
    assert first.value == b"payload-0"
    assert dict(first.headers) == {"ce_type": b"order.created", "ce_id": b"0"}
    partitions = {r.partition for r in records}
    assert len(partitions) > 1, "12 keys all landed in one partition"
    # Per-key ordering relies on one key always mapping to one partition.
    again = consume(bootstrap, topic, f"group-{uuid.uuid4().hex[:6]}", len(keys))
    assert {(r.key, r.partition) for r in again} == {(r.key, r.partition) for r in records}


def test_committed_offsets_resume_the_group(bootstrap: str, topic: str) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all")
    try:
        for n in range(4):
            producer.send(topic, key=b"same", value=str(n).encode())
        producer.flush(timeout=10)
        group = f"group-{uuid.uuid4().hex[:6]}"
        assert [r.value for r in consume(bootstrap, topic, group, 2)] == [b"0", b"1"]
        assert [r.value for r in consume(bootstrap, topic, group, 2)] == [b"2", b"3"]
    finally:
        producer.close()
