"""The broker on a real Kafka-protocol server (noida-db): binding, dispatch, at-least-once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from broker_fakes import Call, Recorder, binary
from kafka import KafkaConsumer

from shopfn.emulator.broker import Delivery, DeliveryResult, SystemClock, Trigger
from shopfn.emulator.kafka_bus import KafkaBroker

pytestmark = pytest.mark.servers("kafka")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"noida-db exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"noida-db did not listen on {port} within {timeout} s")


@pytest.fixture(scope="module")
def kafka_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private noida-db in Kafka mode on a free port (or SHOPFN_KAFKA_URL when set)."""
    external = os.environ.get("SHOPFN_KAFKA_URL")
    if external:
        yield external
        return
    port = _free_port()
    data_dir = tmp_path_factory.mktemp("noida")
    noida = Path(sys.executable).with_name("noida-db")
    command = [str(noida), "start", "--data-dir", str(data_dir), "--host", "127.0.0.1"]
    command += ["--only", "kafka", "--kafka-port", str(port)]
    with (data_dir / "noida.log").open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, timeout=15)
        yield f"127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture
def make_kafka_broker(kafka_url: str) -> Iterator[Callable[..., KafkaBroker]]:
    """Started Kafka brokers on a topic of their own (per test), stopped at the end."""
    topic = f"shopfn.events.{uuid.uuid4().hex[:8]}"
    brokers: list[KafkaBroker] = []

    def make(deliver: Recorder, *triggers: Trigger, group_id: str = "broker") -> KafkaBroker:
        broker = KafkaBroker(
            list(triggers),
            deliver,
            bootstrap_servers=kafka_url,
            topic=topic,
            group_id=f"{topic}.{group_id}",
            clock=SystemClock(),
        )
        broker.start()
        brokers.append(broker)
        return broker

    yield make
    for broker in brokers:
        broker.stop()


def wait_until(condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def statuses(broker: KafkaBroker) -> dict[str, str]:
    return {e["id"]: e["deliveries"][0]["status"] for e in broker.recent_events()}


def _raw_messages(kafka_url: str, topic: str, count: int) -> list[object]:
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=kafka_url,
        group_id=None,
        auto_offset_reset="earliest",
        consumer_timeout_ms=5000,
    )
    try:
        records: list[object] = []
        for record in consumer:
            records.append(record)
            if len(records) == count:
                break
        return records
    finally:
        consumer.close()


def test_events_travel_through_kafka_in_binary_mode_and_reach_their_triggers_in_order(
    make_kafka_broker: Callable[..., KafkaBroker], kafka_url: str
) -> None:
    recorder = Recorder(SystemClock())  # type: ignore[arg-type]
    carts = Trigger("carts", "carts-consumer", filters=[{"prefix": {"type": "shop.cart."}}])
    orders = Trigger("orders", "orders-consumer", attributes={"type": "shop.order.created.v1"})
    broker = make_kafka_broker(recorder, carts, orders)
    for n in range(12):
        key = f"cart-{n % 3}"
        status, _ = broker.ingress(
            binary(event_id=f"c-{n:02d}", event_type="shop.cart.updated.v1", partitionkey=key),
            b'{"n": %d}' % n,
        )
        assert status == 202
    broker.ingress(binary(event_id="o-1", subject="order-1"), b"{}")
    broker.ingress(binary(event_id="o-2"), b"{}")
    assert broker.ingress({"ce-id": "x"}, b"")[0] == 400
    assert broker.drain(15)

    for key in ("cart-0", "cart-1", "cart-2"):
        got = [c for c in recorder.to("carts-consumer") if c.headers["ce-partitionkey"] == key]
        assert [c.event_id for c in got] == sorted(c.event_id for c in got)
        assert len(got) == 4
    assert sorted(c.event_id for c in recorder.to("orders-consumer")) == ["o-1", "o-2"]
    first = recorder.to("carts-consumer")[0]
    assert first.headers["content-type"] == "application/json"
    assert "ce-knativearrivaltime" in first.headers
    assert not any(h.removeprefix("ce-") == "time" for h in first.headers)  # nothing invented

    records = _raw_messages(kafka_url, broker._topic, 14)
    by_id = {dict(r.headers)["ce_id"].decode(): r for r in records}  # type: ignore[attr-defined]
    cart = by_id["c-00"]
    assert cart.key == b"cart-0"  # type: ignore[attr-defined]
    assert dict(cart.headers)["ce_type"] == b"shop.cart.updated.v1"  # type: ignore[attr-defined]
    assert dict(cart.headers)["content-type"] == b"application/json"  # type: ignore[attr-defined]
    assert cart.value == b'{"n": 0}'  # type: ignore[attr-defined]
    assert by_id["o-1"].key == b"order-1"  # type: ignore[attr-defined]
    assert by_id["o-2"].key == b"o-2"  # type: ignore[attr-defined]
    assert len({r.partition for r in records}) > 1  # type: ignore[attr-defined]


def test_unsettled_events_are_redelivered_after_a_stop(
    make_kafka_broker: Callable[..., KafkaBroker],
) -> None:
    """At-least-once: offsets are committed only past events that are done."""
    first = Recorder(SystemClock())  # type: ignore[arg-type]

    def stuck_on_b(call: Call) -> DeliveryResult:
        return DeliveryResult(503 if call.event_id == "b" else 202)

    first.answers["orders-consumer"] = stuck_on_b
    patient = Delivery(retry=100, backoff_policy="linear", backoff_delay=30)
    orders = Trigger("orders", "orders-consumer", delivery=patient)
    broker = make_kafka_broker(first, orders)
    broker.ingress(binary(event_id="a", partitionkey="k-a"), b"{}")
    broker.ingress(binary(event_id="b", partitionkey="k-b"), b"{}")
    wait_until(lambda: statuses(broker) == {"a": "delivered", "b": "retrying"})
    broker.stop()  # "b" waits for its first retry: not settled, so its offset is not committed

    second = Recorder(SystemClock())  # type: ignore[arg-type]
    again = make_kafka_broker(second, orders)
    wait_until(lambda: bool(second.calls))
    time.sleep(0.5)  # time enough for "a" to show up too, were it redelivered
    assert again.drain(5)
    assert [c.event_id for c in second.calls] == ["b"]
