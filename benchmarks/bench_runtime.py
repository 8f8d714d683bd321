"""The runtime against a hello-world functions-framework function, and the broker's latency.

(a) cold start: process start to first 200, median of 10, `catalog-get` vs hello world;
(b) warm requests per second and p95 of `GET /api/products/{id}` vs hello world, same wrk load;
(c) publish-to-consumer latency, p50/p95, of the in-memory broker and of the Kafka transport.
"""

from __future__ import annotations

import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from cloudevents.http import CloudEvent

from benchmarks.harness import Context, Row, median, percentile, start_function, wrk
from shopfn.emulator.broker import Broker, Delivery, DeliveryResult, Trigger
from shopfn.emulator.processes import functions_framework_argv
from shopfn.servers.base import free_port
from shopfn.stores import mongo_db

HELLO = Path(__file__).with_name("hello_world.py")
COLD_RUNS = 10
EVENTS = 500


def _hello_argv(port: int) -> list[str]:
    binary = Path(sys.executable).parent / "functions-framework"
    return [
        str(binary),
        "--source",
        str(HELLO),
        "--target",
        "hello",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]


def _product_id() -> str:
    doc = {
        "_id": uuid.uuid4().hex,
        "name": "Benchmark kettle",
        "description": "1.7 l, stainless",
        "price": 39.9,
        "category": "kitchen",
        "stock": 100,
        "createdAt": datetime.now(UTC),
        "version": 1,
    }
    mongo_db()["products"].insert_one(doc)
    return str(doc["_id"])


def cold_and_warm(ctx: Context) -> list[Row]:
    product = _product_id()
    path = f"/api/products/{product}"
    runs: dict[str, list[float]] = {"hello": [], "catalog": []}
    for i in range(COLD_RUNS):
        for kind in ("hello", "catalog"):
            port = free_port()
            argv = (
                _hello_argv(port)
                if kind == "hello"
                else functions_framework_argv("catalog-get", port)
            )
            proc, ms = start_function(
                argv, port, "/" if kind == "hello" else path, ctx.workdir / f"{kind}-{i}.log"
            )
            runs[kind].append(ms)
            proc.stop()
    rows = [
        Row(
            "cold start, process to first 200 (median of 10)",
            median(runs["catalog"]),
            "ms",
            median(runs["hello"]),
            "catalog-get vs hello world",
        ),
    ]
    warm: dict[str, tuple[float, float]] = {}
    for kind in ("hello", "catalog"):
        port = free_port()
        argv = (
            _hello_argv(port) if kind == "hello" else functions_framework_argv("catalog-get", port)
        )
        proc, _ = start_function(
            argv, port, "/" if kind == "hello" else path, ctx.workdir / f"{kind}-warm.log"
        )
        try:
            target = f"http://127.0.0.1:{port}{'/' if kind == 'hello' else path}"
            wrk(target, seconds=3)  # warm-up: caches, connection pools, gunicorn threads
            warm[kind] = wrk(target, seconds=10)
        finally:
            proc.stop()
    rows.append(
        Row(
            "warm GET /api/products/{id}, requests/s (wrk -c16)",
            warm["catalog"][0],
            "rps",
            warm["hello"][0],
            "vs hello world",
        )
    )
    rows.append(
        Row(
            "warm GET /api/products/{id}, p95",
            warm["catalog"][1],
            "ms",
            warm["hello"][1],
            "vs hello world",
        )
    )
    return rows


def _latencies(make_broker: type[Broker], **kwargs: object) -> list[float]:
    received: dict[str, float] = {}
    done = threading.Event()

    def deliver(name: str, headers: dict[str, str], body: bytes) -> DeliveryResult:
        received[headers["ce-id"]] = time.perf_counter()
        if len(received) >= EVENTS:
            done.set()
        return DeliveryResult(204, {}, b"")

    trigger = Trigger("bench", "bench-consumer", {"type": "shop.bench.v1"}, delivery=Delivery())
    broker = make_broker([trigger], deliver, dead_letter_sink=None, **kwargs)  # type: ignore[arg-type]
    broker.start()
    sent: dict[str, float] = {}
    try:
        for i in range(EVENTS):
            event = CloudEvent(
                {
                    "type": "shop.bench.v1",
                    "source": "/bench",
                    "id": f"e{i}",
                    "partitionkey": f"k{i % 8}",
                },
                {"i": i},
            )
            sent[event["id"]] = time.perf_counter()
            broker.publish(event)
            time.sleep(0.002)  # a steady stream, not one burst: latency, not backlog
        done.wait(60)
    finally:
        broker.stop()
    return [(received[k] - sent[k]) * 1000 for k in sent if k in received]


def broker_latency(ctx: Context) -> list[Row]:
    from shopfn.emulator.kafka_bus import KafkaBroker

    rows = []
    memory = _latencies(Broker)
    rows.append(Row("in-memory broker publish->consumer p50", percentile(memory, 50), "ms"))
    rows.append(Row("in-memory broker publish->consumer p95", percentile(memory, 95), "ms"))
    kafka = _latencies(
        KafkaBroker,
        bootstrap_servers=ctx.env["SHOPFN_KAFKA_URL"],
        topic=f"bench-{uuid.uuid4().hex[:6]}",
        group_id=f"bench-{uuid.uuid4().hex[:6]}",
    )
    rows.append(
        Row(
            "Kafka transport publish->consumer p50",
            percentile(kafka, 50),
            "ms",
            note=f"{len(kafka)}/{EVENTS} delivered",
        )
    )
    rows.append(Row("Kafka transport publish->consumer p95", percentile(kafka, 95), "ms"))
    return rows


BENCHMARKS = (cold_and_warm, broker_latency)
