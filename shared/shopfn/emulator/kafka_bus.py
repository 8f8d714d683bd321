"""The broker on Kafka, through kafka-python: durable ingress, same Trigger dispatch.

Ingress (and replies) produce the event to one topic (default `shopfn.events`, 3 partitions)
in the CloudEvents Kafka protocol binding, binary mode: every attribute as a `ce_<name>` header,
`datacontenttype` as `content-type`, the data as the value. The message key is the
`partitionkey` extension, else `subject`, else `id`, so one key stays on one partition and in
order. `ce_partitionkey` is written too and the key is not read back: the SDK's
`cloudevents.kafka.from_binary` turns every key into a `partitionkey` (and its `CloudEvent` adds a
`time` the event may not have), which would change the events and their ordering lanes.

A dispatcher thread consumes with a consumer group and hands each event to the in-memory
broker's Trigger dispatch (`Broker._dispatch`: filters, retries, dead letters, replies,
per-key ordering are the same code). Offsets are committed only up to the first event of each
partition that is not yet settled (delivered, or handed to the dead-letter sink), so a crash or
stop redelivers everything unfinished: at-least-once. `replay()` re-dispatches in process.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import Counter
from collections.abc import Mapping, Sequence

from cloudevents.kafka import KafkaMessage
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError, TopicAlreadyExistsError
from kafka.structs import OffsetAndMetadata, TopicPartition

from shopfn.emulator.broker import (
    Broker,
    BrokerUnavailable,
    Clock,
    Deliver,
    Event,
    InvalidEvent,
    Trigger,
    validate_attributes,
)

log = logging.getLogger(__name__)

DEFAULT_TOPIC = "shopfn.events"
DEFAULT_GROUP = "shopfn-broker"
SEND_TIMEOUT = 10.0
RECONNECT_PAUSE = 1.0


def to_kafka(event: Event) -> KafkaMessage:
    """The event as a Kafka message in binary content mode."""
    headers = {
        f"ce_{name}": value.encode()
        for name, value in event.attributes.items()
        if name != "datacontenttype"
    }
    if "datacontenttype" in event.attributes:
        headers["content-type"] = event.attributes["datacontenttype"].encode()
    attributes = event.attributes
    key = attributes.get("partitionkey") or attributes.get("subject") or attributes["id"]
    return KafkaMessage(headers, key.encode(), event.data)


def from_kafka(message: KafkaMessage) -> Event:
    """The event carried by a binary-mode Kafka message (validated; the key is not used)."""
    attributes: dict[str, str] = {}
    for name, raw in message.headers.items():
        value = raw.decode() if isinstance(raw, bytes) else str(raw)
        lowered = name.lower()
        if lowered == "content-type":
            attributes["datacontenttype"] = value
        elif lowered.startswith("ce_"):
            attributes[lowered[3:]] = value
    validate_attributes(attributes)
    data = message.value
    return Event(attributes, data.encode() if isinstance(data, str) else bytes(data or b""))


class _Offsets:
    """Per partition: offsets handed off but not settled, and how far it is safe to commit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._unsettled: dict[TopicPartition, set[int]] = {}
        self._next: dict[TopicPartition, int] = {}
        self._committed: dict[TopicPartition, int] = {}

    def begin(self, partition: TopicPartition, offset: int) -> None:
        with self._lock:
            self._unsettled.setdefault(partition, set()).add(offset)
            self._next[partition] = max(self._next.get(partition, 0), offset + 1)

    def settle(self, partition: TopicPartition, offset: int) -> None:
        with self._lock:
            self._unsettled.get(partition, set()).discard(offset)

    def committable(self, assigned: set[TopicPartition]) -> dict[TopicPartition, int]:
        """The next offset to commit per assigned partition, where it moved since last time."""
        with self._lock:
            positions = {}
            for partition, following in self._next.items():
                unsettled = self._unsettled.get(partition)
                position = min(unsettled) if unsettled else following
                if partition in assigned and position != self._committed.get(partition):
                    positions[partition] = position
            return positions

    def committed(self, positions: Mapping[TopicPartition, int]) -> None:
        with self._lock:
            self._committed.update(positions)


class KafkaBroker(Broker):
    """`Broker` whose accepted events are stored in a Kafka topic before they are dispatched."""

    def __init__(
        self,
        triggers: Sequence[Trigger],
        deliver: Deliver,
        *,
        bootstrap_servers: str,
        topic: str = DEFAULT_TOPIC,
        partitions: int = 3,
        group_id: str = DEFAULT_GROUP,
        producer: KafkaProducer | None = None,
        dead_letter_sink: str | None = "ops-dead-letters",
        clock: Clock | None = None,
        workers: int = 4,
        recent: int = 200,
        poll_timeout: float = 0.1,
    ) -> None:
        super().__init__(
            triggers,
            deliver,
            dead_letter_sink=dead_letter_sink,
            clock=clock,
            workers=workers,
            recent=recent,
        )
        self._bootstrap = bootstrap_servers.split(",")
        self._topic = topic
        self._partitions = partitions
        self._group_id = group_id
        self._producer = producer
        self._own_producer = producer is None
        self._poll_ms = int(poll_timeout * 1000)
        self._offsets = _Offsets()
        self._unconsumed: Counter[tuple[str, str]] = Counter()
        self._closing = threading.Event()
        self._consumer_thread: threading.Thread | None = None

    def start(self) -> None:
        if self._consumer_thread is not None:
            return
        self._ensure_topic()
        if self._producer is None:
            self._producer = KafkaProducer(bootstrap_servers=self._bootstrap, acks="all")
        consumer = KafkaConsumer(
            self._topic,
            bootstrap_servers=self._bootstrap,
            group_id=self._group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        super().start()
        self._closing.clear()
        self._consumer_thread = threading.Thread(
            target=self._consume, args=(consumer,), name="broker-kafka-consumer", daemon=True
        )
        self._consumer_thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop consuming (committing what is settled), then the workers; unsettled events are
        left uncommitted and come back on the next start."""
        self._closing.set()
        if self._consumer_thread is not None:
            self._consumer_thread.join(timeout)
            self._consumer_thread = None
        super().stop(timeout)
        if self._producer is not None and self._own_producer:
            self._producer.close(timeout=timeout)
            self._producer = None

    # -- Broker hooks ---------------------------------------------------------------------------

    def _accept(self, event: Event) -> None:
        if self._producer is None:
            raise BrokerUnavailable("the Kafka broker is not started")
        message = to_kafka(event)
        with self._cv:
            self._unconsumed[(event.attributes["source"], event.id)] += 1
        try:
            self._producer.send(
                self._topic,
                key=message.key,
                value=message.value,
                headers=list(message.headers.items()),
            ).get(timeout=SEND_TIMEOUT)
        except KafkaError as exc:
            self._consumed(event)
            raise BrokerUnavailable(f"Kafka did not store the event: {exc}") from exc

    def _transport_backlog(self) -> int:
        return self._unconsumed.total()

    # -- consuming -----------------------------------------------------------------------------

    def _ensure_topic(self) -> None:
        admin = KafkaAdminClient(bootstrap_servers=self._bootstrap)
        try:
            admin.create_topics([NewTopic(self._topic, self._partitions, 1)])
        except TopicAlreadyExistsError:
            pass
        finally:
            admin.close()

    def _consume(self, consumer: KafkaConsumer) -> None:
        try:
            while not self._closing.is_set():
                try:
                    batch = consumer.poll(timeout_ms=self._poll_ms)
                except KafkaError as exc:  # Kafka away for a while: keep trying until stop()
                    log.warning("broker: Kafka poll failed: %s", exc)
                    self._closing.wait(RECONNECT_PAUSE)
                    continue
                for partition, records in batch.items():
                    for record in records:
                        self._hand_off(partition, record)
                self._commit(consumer)
        finally:
            self._commit(consumer)
            consumer.close(autocommit=False)

    def _hand_off(self, partition: TopicPartition, record: ConsumerRecord) -> None:
        self._offsets.begin(partition, record.offset)
        settle = functools.partial(self._offsets.settle, partition, record.offset)
        message = KafkaMessage(dict(record.headers or []), record.key, record.value or b"")
        try:
            event = from_kafka(message)
        except InvalidEvent as exc:
            log.warning("broker: skipping %s@%d: %s", partition, record.offset, exc)
            settle()
            return
        self._dispatch(event, on_settled=settle)
        self._consumed(event)

    def _consumed(self, event: Event) -> None:
        key = (event.attributes["source"], event.id)
        with self._cv:
            if key in self._unconsumed:
                self._unconsumed[key] -= 1
                if self._unconsumed[key] <= 0:
                    del self._unconsumed[key]
            self._cv.notify_all()

    def _commit(self, consumer: KafkaConsumer) -> None:
        positions = self._offsets.committable(set(consumer.assignment()))
        if not positions:
            return
        try:
            consumer.commit({p: OffsetAndMetadata(o, "", -1) for p, o in positions.items()})
        except KafkaError as exc:  # a rebalance; the next commit carries the same positions
            log.warning("broker: offset commit failed: %s", exc)
            return
        self._offsets.committed(positions)
