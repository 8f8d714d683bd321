"""The saga and its participants against real servers, under at-least-once delivery.

A harness stands in for the broker: every event the commerce functions publish (through the
outbox or as a consumer's reply) is handed to every commerce consumer whose Trigger takes it.
It can deliver each event twice, in shuffled order within each order, with orders running in
parallel threads; and it can make a consumer "crash" after its effect, before acknowledging,
so the same event comes again.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from cloudevents.http import CloudEvent

from functions.catalog.models import ProductCreate
from functions.catalog.store import new_product_doc
from functions.orders.store import create
from functions.saga.db import transaction
from functions.saga.drive import start
from shopfn import bootstrap, events, registry
from shopfn.registry import FunctionSpec
from shopfn.stores import mongo_db

pytestmark = [pytest.mark.servers("postgres", "mongo", "redis"), pytest.mark.timeout(180)]

COMMERCE = frozenset({"cart", "orders", "saga", "inventory", "payments", "shipping"})


class Harness:
    """Delivers published events to the commerce consumers, by hand."""

    def __init__(self) -> None:
        self.consumers: dict[str, list[FunctionSpec]] = defaultdict(list)
        for spec in registry.discover().values():
            if spec.is_consumer and spec.domain in COMMERCE:
                self.consumers[spec.event_type].append(spec)
        self._published: list[CloudEvent] = []
        self._lock = threading.Lock()
        self.crash_once: set[str] = set()  # consumer names that crash on their first event
        self.crashed: list[str] = []

    def publish(self, event: CloudEvent) -> None:
        with self._lock:
            self._published.append(event)

    def take(self) -> list[CloudEvent]:
        with self._lock:
            taken, self._published = self._published, []
        return taken

    def deliver(self, event: CloudEvent) -> None:
        for spec in self.consumers.get(event["type"], []):
            reply = spec.handler(event)
            if spec.name in self.crash_once:
                # The effect is committed; the process dies before the broker hears 2xx, so
                # the reply is lost and the broker delivers the same event again.
                self.crash_once.discard(spec.name)
                self.crashed.append(spec.name)
                reply = spec.handler(event)
            if reply is not None:
                self.publish(reply)

    def run(self, *, twice: bool, seed: int, rounds: int = 400) -> None:
        """Deliver until nothing is left: each event twice (the copy up to 3 rounds later)
        when `twice`, shuffled within each order, orders in parallel."""
        rng = random.Random(seed)
        due: list[tuple[int, CloudEvent]] = []
        for now in range(rounds):
            for event in self.take():
                due.append((now, event))
                if twice:
                    due.append((now + rng.randint(0, 3), event))
            batch = [e for at, e in due if at <= now]
            due = [(at, e) for at, e in due if at > now]
            if not batch and not due:
                return
            per_order: dict[str, list[CloudEvent]] = defaultdict(list)
            for event in batch:
                per_order[event["subject"]].append(event)
            for group in per_order.values():
                rng.shuffle(group)
            self._deliver_in_parallel(list(per_order.values()))
        raise AssertionError("events kept coming")

    def _deliver_in_parallel(self, groups: list[list[CloudEvent]]) -> None:
        errors: list[BaseException] = []

        def work(group: list[CloudEvent]) -> None:
            try:
                for event in group:
                    self.deliver(event)
            except BaseException as exc:  # surfaced below, as the broker would retry
                errors.append(exc)

        threads = [threading.Thread(target=work, args=(g,)) for g in groups]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert not errors, errors


@pytest.fixture(scope="session")
def mongo_closed_at_exit(servers: dict[str, str]) -> Iterator[None]:
    """Close the shared MongoDB client when the session ends (an unclosed one warns when it is
    collected); not sooner, since other modules' cached collections still use it."""
    yield
    mongo_db().client.close()


@pytest.fixture(scope="module")
def harness(mongo_closed_at_exit: None) -> Iterator[Harness]:
    bootstrap.migrate()
    hub = Harness()
    events.set_local_sink(hub.publish)
    yield hub
    events.set_local_sink(None)


def new_product(stock: int) -> str:
    """A product in the catalog, in the catalog's own shape."""
    doc = new_product_doc(ProductCreate(name="Kettle", price=30.0, category="kitchen", stock=stock))
    mongo_db()["products"].insert_one(doc)
    return str(doc["_id"])


def place_order(pid: str, card: str = "4242", address: str = "1 Main St", qty: int = 1) -> str:
    """What checkout does: the order, its event and the saga's start in one transaction, then
    the relay."""
    items = [{"productId": pid, "name": "Kettle", "quantity": qty, "unitPrice": 30.0}]
    publish: list[str] = []
    with transaction(publish) as cur:
        order, created = create(cur, f"u-{uuid.uuid4().hex[:8]}", items, "USD", card, address)
        publish.extend([str(created["id"]), *start(cur, created).outbox_ids])
    return str(order["id"])


def rows(sql: str, *args: Any) -> list[tuple[Any, ...]]:
    with transaction() as cur:
        cur.execute(sql, args)
        return list(cur.fetchall())


def outcome(order_id: str) -> dict[str, Any]:
    """Everything the participants hold for one order."""
    ((status, reason, total),) = rows(
        "SELECT status, reason, total FROM orders WHERE id = %s", order_id
    )
    saga = rows("SELECT phase FROM sagas WHERE order_id = %s", order_id)
    payments = rows("SELECT status, amount FROM payments WHERE order_id = %s", order_id)
    reservations = rows("SELECT status FROM inventory_reservations WHERE order_id = %s", order_id)
    shipments = rows("SELECT status FROM shipments WHERE order_id = %s", order_id)
    return {
        "status": status,
        "reason": reason,
        "total": Decimal(total),
        "saga": saga[0][0] if saga else None,
        "payment": payments[0][0] if payments else None,
        "paid": sum((Decimal(a) for s, a in payments if s == "charged"), Decimal(0)),
        "reservation": reservations[0][0] if reservations else None,
        "shipment": shipments[0][0] if shipments else None,
    }


def stock(pid: str) -> tuple[int, int]:
    ((left,),) = rows("SELECT stock FROM inventory_stock WHERE product_id = %s", pid)
    return int(left), int(mongo_db()["products"].find_one({"_id": pid})["stock"])


def outbox_count(order_id: str, event_type: str) -> int:
    ((count,),) = rows(
        "SELECT count(*) FROM outbox WHERE event_type = %s AND headers->>'ce-subject' = %s",
        event_type,
        order_id,
    )
    return int(count)


@contextmanager
def no_step_timeout(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The tick treats every saga step, and every order without a saga, as overdue."""
    from shopfn import config

    monkeypatch.setenv("SHOPFN_SAGA_STEP_TIMEOUT", "0")
    config.reload()
    try:
        yield
    finally:
        monkeypatch.delenv("SHOPFN_SAGA_STEP_TIMEOUT")
        config.reload()


def assert_consistent(result: dict[str, Any]) -> None:
    if result["status"] == "CONFIRMED":
        assert result["saga"] == "CONFIRMED"
        assert result["payment"] == "charged" and result["paid"] == result["total"]
        assert result["reservation"] == "reserved"
        assert result["shipment"] == "scheduled"
    else:
        assert result["status"] == "CANCELLED" and result["saga"] == "CANCELLED", result
        assert result["paid"] == 0, "money kept for a cancelled order"
        assert result["reservation"] != "reserved", "stock kept for a cancelled order"
        assert result["shipment"] in (None, "failed", "voided", "cancelled")


@pytest.mark.parametrize("seed", [1, 2])
def test_every_event_twice_and_shuffled_within_each_order(harness: Harness, seed: int) -> None:
    pid = new_product(5)
    kinds = ["good", "declined", "undeliverable", "good"] * 3
    cards = {"declined": "0002"}
    addresses = {"undeliverable": "UNDELIVERABLE, nowhere"}
    orders = {
        place_order(pid, cards.get(kind, "4242"), addresses.get(kind, "1 Main St")): kind
        for kind in kinds
    }
    harness.run(twice=True, seed=seed)

    results = {order_id: outcome(order_id) for order_id in orders}
    for result in results.values():
        assert_consistent(result)
    confirmed = [o for o, r in results.items() if r["status"] == "CONFIRMED"]
    assert 1 <= len(confirmed) <= 5
    assert {orders[o] for o in confirmed} == {"good"}
    assert stock(pid) == (5 - len(confirmed), 5 - len(confirmed)), "oversold or lost stock"
    for order_id, kind in orders.items():
        reason = results[order_id]["reason"]
        if order_id in confirmed:
            continue
        expected = {
            "good": "out of stock: Kettle",
            "declined": "payment declined: card declined",
            "undeliverable": "shipping failed: address undeliverable",
        }[kind]
        assert reason in (expected, "out of stock: Kettle"), (kind, reason)
    for order_id in orders:
        assert outbox_count(order_id, "shop.saga.process-payment.v1") <= 1


# saga-shipment-scheduled also confirms the order, in the saga's transaction.
CRASHING = [
    "inventory-reserve",
    "saga-inventory-reserved",
    "payments-charge",
    "saga-payment-charged",
    "shipping-schedule",
    "saga-shipment-scheduled",
]


@pytest.mark.parametrize("consumer", CRASHING)
def test_a_crash_after_the_effect_is_redelivered_without_a_second_effect(
    harness: Harness, consumer: str
) -> None:
    pid = new_product(3)
    harness.crash_once = {consumer}
    harness.crashed.clear()
    order_id = place_order(pid, qty=2)
    harness.run(twice=False, seed=0)

    assert harness.crashed == [consumer]
    result = outcome(order_id)
    assert result["status"] == "CONFIRMED", result
    assert_consistent(result)
    assert stock(pid) == (1, 1)
    assert len(rows("SELECT 1 FROM payments WHERE order_id = %s", order_id)) == 1
    for command in ("reserve-items", "process-payment", "schedule-shipping"):
        assert outbox_count(order_id, f"shop.saga.{command}.v1") == 1, command
    # ConfirmOrder is applied in the saga's transaction: no command event, one fact.
    assert outbox_count(order_id, "shop.saga.confirm-order.v1") == 0
    assert outbox_count(order_id, "shop.order.confirmed.v1") == 1


def test_a_customer_cancel_after_confirmation_refunds_and_restocks(harness: Harness) -> None:
    from functions.saga.core import CANCELLATION_REQUESTED

    pid = new_product(2)
    order_id = place_order(pid)
    harness.run(twice=False, seed=0)
    assert outcome(order_id)["status"] == "CONFIRMED"
    harness.publish(
        events.new_event(
            CANCELLATION_REQUESTED,
            {
                "orderId": order_id,
                "userId": "u-x",
                "reason": "cancelled by customer",
                "requestedBy": "u-x",
                "requestedAt": datetime.now(UTC).isoformat(),
            },
            subject=order_id,
        )
    )
    harness.run(twice=True, seed=3)
    result = outcome(order_id)
    assert result["status"] == "CANCELLED" and result["reason"] == "cancelled by customer"
    assert result["payment"] == "refunded" and result["shipment"] == "cancelled"
    assert_consistent(result)
    assert stock(pid) == (2, 2)


def test_the_tick_times_out_a_saga_whose_command_was_lost(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from functions.saga.tick import saga_tick

    pid = new_product(2)
    order_id = place_order(pid)
    for _ in range(2):  # reserve (sent by checkout) -> reserved: the saga asks for the payment
        for event in harness.take():
            harness.deliver(event)
    lost = [e for e in harness.take() if e["type"] == "shop.saga.process-payment.v1"]
    assert [e["subject"] for e in lost] == [order_id]
    with no_step_timeout(monkeypatch):
        assert saga_tick()["timedOut"] >= 1
    harness.run(twice=False, seed=0)
    for event in lost:  # the lost request turns up after all: it must be refused
        harness.deliver(event)
    harness.run(twice=False, seed=0)
    result = outcome(order_id)
    assert result["status"] == "CANCELLED" and result["reason"] == "timed out waiting for payment"
    assert_consistent(result)
    assert stock(pid) == (2, 2)


def test_the_tick_starts_the_saga_of_an_order_left_without_one(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An order an older deployment wrote (its saga started on the delivery of
    shop.order.created.v1, which never came) is picked up by the tick and completes."""
    from functions.saga.tick import saga_tick

    pid = new_product(2)
    items = [{"productId": pid, "name": "Kettle", "quantity": 1, "unitPrice": 30.0}]
    with transaction() as cur:
        order, _ = create(cur, f"u-{uuid.uuid4().hex[:8]}", items, "USD", "4242", "1 Main St")
    harness.take()  # its shop.order.created.v1 is lost: nothing consumes it any more
    saga_tick()
    assert outcome(order["id"])["saga"] is None  # younger than the step timeout: left alone
    with no_step_timeout(monkeypatch):
        assert saga_tick()["started"] >= 1
    harness.run(twice=True, seed=3)
    result = outcome(order["id"])
    assert result["status"] == "CONFIRMED" and result["saga"] == "CONFIRMED"
    assert_consistent(result)
    assert stock(pid) == (1, 1)
