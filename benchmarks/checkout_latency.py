"""Checkout -> CONFIRMED latency of the order saga in the emulator (not part of `make test`).

    python -m benchmarks.checkout_latency [--orders 500] [--concurrency 1] [--commerce-only]
                                          [--client-in-emulator]

Starts the real servers in a temp dir, the emulator in-process on a free port, then places
`--orders` orders (each by its own shopper: add to cart, check out) and waits for each to be
CONFIRMED. Two figures per order:
- client: from sending POST /api/cart/checkout to the GET that first sees CONFIRMED (polled
  every `--poll-ms`), i.e. what a shopper waits;
- server: the order row's confirmed_at - created_at, i.e. checkout (order, saga, ReserveItems)
  -> inventory -> saga -> payments -> saga -> shipping -> saga (which confirms the order), six
  deliveries.
`--commerce-only` registers only the commerce functions (no notification/analytics/search
consumers competing for the broker's workers) and starts only PostgreSQL, Redis and MongoDB.
The shoppers run in a process of their own, as a shopper's browser does not share the
server's interpreter: in the emulator's process their polling held its GIL and slowed the
saga (server p95 about 170 against 130 ms, every function). `--client-in-emulator` puts them
back there.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from benchmarks.harness import Context, Row, functions_where, in_own_process
from functions.catalog.models import ProductCreate
from functions.catalog.store import new_product_doc
from shopfn import bootstrap
from shopfn.emulator.gateway import Emulator
from shopfn.emulator.serve import apply_env, serving
from shopfn.security import Principal, issue_access_token
from shopfn.servers import BACKGROUND, EmbeddedServers
from shopfn.servers.base import free_port
from shopfn.stores import mongo_db, pg_conn

COMMERCE = {"cart", "orders", "saga", "inventory", "payments", "shipping", "ops", "catalog"}
WARMUP = 20
# Every poll is a request the emulator serves on the saga's two cores: at 5 ms the observer
# slowed what it observed (server p95 93-118 ms against 90 ms at 20 ms, same afternoon), and
# the shopper saw no sooner (client p95 142-173 against 145 ms).
POLL_MS = 20.0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def summary(name: str, values_ms: list[float]) -> str:
    return (
        f"{name:<8} n={len(values_ms)}  p50={pct(values_ms, 50):7.1f} ms  "
        f"p95={pct(values_ms, 95):7.1f} ms  p99={pct(values_ms, 99):7.1f} ms  "
        f"mean={statistics.fmean(values_ms):7.1f} ms  max={max(values_ms):7.1f} ms"
    )


@contextmanager
def platform(commerce_only: bool) -> Iterator[str]:
    """Servers, bootstrap and the emulator; yields the gateway URL."""
    workdir = Path(tempfile.mkdtemp(prefix="shopfn-checkout-bench-"))
    os.environ.setdefault("SHOPFN_JWT_SECRET", "bench-secret-" + "x" * 40)
    os.environ.setdefault("SHOPFN_LOG_LEVEL", "WARNING")
    names = ["postgres", "redis", "mongo"] if commerce_only else None
    embedded = EmbeddedServers(workdir / "servers", names, log=lambda line: print(line, flush=True))
    try:
        embedded.install()
        apply_env(embedded.start())
        # The JVMs start in the background; a measurement must not overlap their start.
        for name in sorted(BACKGROUND & set(embedded.names)):
            embedded.wait_ready(name, 300)
        specs = functions_where(lambda domain: not commerce_only or domain in COMMERCE)
        if commerce_only:
            bootstrap.migrate()
        else:
            bootstrap.run(lambda _: None)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        emulator = Emulator(specs, gateway_url=url, log=lambda _: None)
        with serving(emulator, port):
            print(f"emulator: {len(specs)} functions at {url}", flush=True)
            yield url
    finally:
        embedded.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def new_product(stock: int) -> str:
    """A product in the catalog, in the catalog's own shape."""
    doc = new_product_doc(
        ProductCreate(name="Benchmark mug", price=10.0, category="bench", stock=stock)
    )
    mongo_db()["products"].insert_one(doc)
    return str(doc["_id"])


def one_order(session: requests.Session, url: str, pid: str, poll: float) -> tuple[str, float]:
    """Place one order as a new shopper; (order id, seconds from checkout to CONFIRMED)."""
    shopper = f"bench-{uuid.uuid4().hex[:12]}"
    token = issue_access_token(Principal(user_id=shopper, role="user"))
    headers = {"Authorization": f"Bearer {token}"}
    added = session.post(
        f"{url}/api/cart/items", json={"productId": pid}, headers=headers, timeout=10
    )
    added.raise_for_status()
    started = time.perf_counter()
    placed = session.post(f"{url}/api/cart/checkout", json={}, headers=headers, timeout=10)
    placed.raise_for_status()
    order_id = placed.json()["order"]["id"]
    deadline = started + 30
    while time.perf_counter() < deadline:
        got = session.get(f"{url}/api/orders/{order_id}", headers=headers, timeout=10)
        status = got.json()["order"]["status"]
        if status == "CONFIRMED":
            return order_id, time.perf_counter() - started
        if status != "PENDING":
            raise RuntimeError(f"order {order_id} ended {status}: {got.json()['order']['reason']}")
        time.sleep(poll)
    raise RuntimeError(f"order {order_id} not confirmed within 30 s")


def server_latencies(order_ids: list[str]) -> list[float]:
    with pg_conn() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT extract(epoch FROM confirmed_at - created_at) FROM orders WHERE id = ANY(%s)",
            (order_ids,),
        )
        return [float(row[0]) * 1000 for row in cur.fetchall()]


def place_orders(
    url: str, pid: str, orders: int, concurrency: int, poll: float
) -> tuple[list[tuple[str, float]], float]:
    """The shoppers: warm-up orders, then `orders` timed ones; (results, seconds taken)."""
    with requests.Session() as session:
        for _ in range(WARMUP):
            one_order(session, url, pid, poll)
    results: list[tuple[str, float]] = []
    lock = threading.Lock()
    remaining = iter(range(orders))

    def worker() -> None:
        with requests.Session() as session:
            while True:
                with lock:
                    if next(remaining, None) is None:
                        return
                result = one_order(session, url, pid, poll)
                with lock:
                    results.append(result)

    began = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - began


def run(
    url: str, orders: int, concurrency: int, poll: float, client_process: bool = True
) -> dict[str, Any]:
    pid = new_product(stock=(orders + WARMUP) * 2)
    shoppers = (url, pid, orders, concurrency, poll)
    if client_process:
        results, elapsed = in_own_process(place_orders, *shoppers)
    else:
        results, elapsed = place_orders(*shoppers)
    client = [seconds * 1000 for _, seconds in results]
    server = server_latencies([order_id for order_id, _ in results])
    return {"client": client, "server": server, "elapsed": elapsed}


def checkout_to_confirmed(ctx: Context) -> list[Row]:
    """For `make bench`: 500 orders one at a time through every function, like the CLI's default."""
    with platform(commerce_only=False) as url:
        got = run(url, 500, 1, POLL_MS / 1000)
    note = f"500 orders, load {os.getloadavg()[0]:.1f}"
    return [
        Row("checkout -> CONFIRMED p50 (server side)", pct(got["server"], 50), "ms", note=note),
        Row("checkout -> CONFIRMED p95 (server side)", pct(got["server"], 95), "ms"),
        Row("checkout -> CONFIRMED p95 (client, polling)", pct(got["client"], 95), "ms"),
    ]


BENCHMARKS = (checkout_to_confirmed,)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--commerce-only", action="store_true")
    parser.add_argument("--poll-ms", type=float, default=POLL_MS)
    parser.add_argument(
        "--client-in-emulator",
        action="store_true",
        help="run the shoppers in the emulator's process (its GIL) instead of their own",
    )
    args = parser.parse_args()
    with platform(args.commerce_only) as url:
        got = run(
            url, args.orders, args.concurrency, args.poll_ms / 1000, not args.client_in_emulator
        )
    scope = "commerce functions only" if args.commerce_only else "every function"
    client = "in the emulator's process" if args.client_in_emulator else "own process"
    print(
        f"\ncheckout -> CONFIRMED, {args.orders} orders, concurrency {args.concurrency},"
        f" {scope}, client {client}, polled every {args.poll_ms:g} ms;"
        f" load average {os.getloadavg()[0]:.1f}"
    )
    print(summary("client", got["client"]))
    print(summary("server", got["server"]))
    print(f"throughput {len(got['client']) / got['elapsed']:.1f} orders/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
