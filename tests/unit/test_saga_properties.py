"""Property test of the saga's `decide`, with the participants' own pure rules around it.

A small world: one order, the saga, the participants (inventory, payments, shipping, orders)
modelled with the same rule functions their stores use, and a network that delivers any
message in flight in any order, may deliver it again (duplicates), and lets time pass so the
tick times steps out (late answers). Hypothesis picks every choice. Whatever it picks, once
the network is drained the order is CONFIRMED (or SHIPPED) with stock reserved, one charge and
a shipment, or CANCELLED with no stock held, no money taken and no live shipment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from functions.inventory import core as inventory
from functions.payments import core as payments
from functions.saga import core as saga
from functions.shipping import core as shipping

TIMEOUT = 30.0
QUANTITY = 2
ORDER_ID = "o-1"
USER_ID = "u-1"


@dataclass
class Message:
    to: str  # "saga" or a participant command type
    type: str
    data: dict[str, Any]


@dataclass
class World:
    stock: int
    card: str
    address: str
    amount: Decimal
    now: float = 1000.0
    state: saga.SagaState | None = None
    network: list[Message] = field(default_factory=list)
    reservation: str | None = None
    payment: str | None = None
    shipment: str | None = None
    order: str = "PENDING"
    charges: int = 0
    initial_stock: int = 0
    issued: list[str] = field(default_factory=list)  # every command the saga issued, in order

    def created_event(self) -> Message:
        data = {
            "orderId": ORDER_ID,
            "userId": USER_ID,
            "items": [{"productId": "p-1", "name": "Lamp", "quantity": QUANTITY, "unitPrice": 1.0}],
            "total": float(self.amount),
            "currency": "USD",
            "cardLast4": self.card,
            "shippingAddress": self.address,
        }
        return Message("saga", saga.ORDER_CREATED, data)

    # --- the saga --------------------------------------------------------------------------

    def to_saga(self, kind: str, data: dict[str, Any]) -> None:
        """As `functions/saga/drive.py` does: ConfirmOrder and CancelOrder are applied at once
        (in the saga's transaction) and their answer decided on in the same step; the other
        commands go out on the network."""
        inputs = [(kind, data)]
        while inputs:
            kind, data = inputs.pop(0)
            event = saga.Event(kind, data, now=self.now)
            self.state, commands = saga.decide(self.state, event, timeout=TIMEOUT)
            for command in commands:
                self.issued.append(command.type)
                if command.type == saga.CONFIRM_ORDER:
                    inputs.append((self.orders_confirm(), {"orderId": ORDER_ID}))
                elif command.type == saga.CANCEL_ORDER:
                    answer = self.orders_cancel()
                    if answer is not None:
                        inputs.append((answer, {"orderId": ORDER_ID}))
                else:
                    self.network.append(Message(command.type, command.type, command.data))

    def answer(self, kind: str, **data: Any) -> None:
        self.network.append(Message("saga", kind, {"orderId": ORDER_ID, **data}))

    # --- the participants, by their own rules ---------------------------------------------

    def inventory_reserve(self) -> None:
        if self.reservation is not None:
            ok, reason = inventory.reserve_answer(self.reservation, "out of stock: Lamp")
        elif self.stock >= QUANTITY:
            self.stock -= QUANTITY
            self.reservation, ok, reason = inventory.RESERVED, True, ""
        else:
            self.reservation, ok, reason = inventory.REJECTED, False, "out of stock: Lamp"
        if ok:
            self.answer(saga.ITEMS_RESERVED)
        else:
            self.answer(saga.RESERVATION_FAILED, reason=reason)

    def inventory_release(self) -> None:
        self.reservation, restock = inventory.release_plan(self.reservation)
        if restock:
            self.stock += QUANTITY
        self.answer(saga.ITEMS_RELEASED)

    def payments_charge(self) -> None:
        if self.payment is not None:
            ok, reason = payments.charge_answer(self.payment, "declined")
        else:
            why = payments.decline_reason(self.card, self.amount, payments.DEFAULT_LIMIT)
            ok, reason = why is None, why or ""
            self.payment = payments.CHARGED if ok else payments.DECLINED
            self.charges += int(ok)
        if ok:
            self.answer(saga.PAYMENT_CHARGED)
        else:
            self.answer(saga.PAYMENT_DECLINED, reason=reason)

    def payments_refund(self) -> None:
        before = self.payment
        self.payment, _ = payments.refund_plan(self.payment)
        refunded = before in (payments.CHARGED, payments.REFUNDED)
        self.answer(saga.PAYMENT_REFUNDED if refunded else saga.PAYMENT_VOIDED)

    def shipping_schedule(self) -> None:
        if self.shipment is not None:
            ok, reason = shipping.schedule_answer(self.shipment, "address undeliverable")
        else:
            why = shipping.failure_reason(self.address)
            ok, reason = why is None, why or ""
            self.shipment = shipping.SCHEDULED if ok else shipping.FAILED
        if ok:
            self.answer(saga.SHIPMENT_SCHEDULED, trackingId="TRK1")
        else:
            self.answer(saga.SHIPMENT_FAILED, reason=reason)

    def shipping_cancel(self) -> None:
        self.shipment, cancelled = shipping.cancel_plan(self.shipment)
        self.answer(saga.SHIPMENT_CANCELLED if cancelled else saga.SHIPMENT_CANCEL_REJECTED)

    def orders_confirm(self) -> str:
        """`functions/orders/saga_steps.py`: the answer the saga hears back."""
        if self.order == "PENDING":
            self.order = "CONFIRMED"
        return saga.ORDER_CANCELLED if self.order == "CANCELLED" else saga.ORDER_CONFIRMED

    def orders_cancel(self) -> str | None:
        if self.order in ("PENDING", "CONFIRMED"):
            self.order = "CANCELLED"
        return saga.ORDER_CANCELLED if self.order == "CANCELLED" else None

    def orders_ship(self) -> None:
        if self.order == "CONFIRMED":
            self.order = "SHIPPED"

    def deliver(self, message: Message) -> None:
        if message.to == "saga":
            self.to_saga(message.type, message.data)
            return
        handlers = {
            saga.RESERVE_ITEMS: self.inventory_reserve,
            saga.RELEASE_ITEMS: self.inventory_release,
            saga.PROCESS_PAYMENT: self.payments_charge,
            saga.REFUND_PAYMENT: self.payments_refund,
            saga.SCHEDULE_SHIPPING: self.shipping_schedule,
            saga.CANCEL_SHIPMENT: self.shipping_cancel,
            saga.MARK_SHIPPED: self.orders_ship,
        }
        handlers[message.to]()

    # --- outside actions --------------------------------------------------------------------

    def tick(self) -> None:
        self.now += TIMEOUT + 1
        self.to_saga(saga.TIMEOUT, {"orderId": ORDER_ID})

    def customer_cancels(self) -> None:
        # What POST /api/orders/{id}/cancel allows: not shipped, and the saga has the order.
        if self.order in ("PENDING", "CONFIRMED") and self.state is not None:
            reason = {"reason": "cancelled by customer"}
            self.network.append(Message("saga", saga.CANCELLATION_REQUESTED, reason))

    def warehouse_dispatches(self) -> None:
        if self.shipment == shipping.SCHEDULED:  # what the dispatch route allows
            self.shipment = shipping.DISPATCHED
            self.answer(saga.SHIPMENT_DISPATCHED, trackingId="TRK1")

    def settle(self, pick: Callable[[int], int] = lambda n: 0) -> None:
        """Deliver everything (the next one chosen by `pick`), letting time pass whenever the
        network is empty."""
        for _ in range(300):
            if self.network:
                self.deliver(self.network.pop(pick(len(self.network))))
            elif self.state is not None and self.state.phase in saga.TIMED_PHASES:
                self.tick()
            else:
                return
        raise AssertionError(f"the saga never settled: {self.state}")


def check_outcome(world: World) -> None:
    state = world.state
    assert state is not None
    held = QUANTITY if world.reservation == inventory.RESERVED else 0
    assert world.stock + held == world.initial_stock, "stock created or lost"
    assert world.stock >= 0
    assert world.charges <= 1, "charged twice"
    if state.phase == saga.CANCELLED:
        assert world.order == "CANCELLED"
        assert world.reservation != inventory.RESERVED, "stock left reserved for a cancelled order"
        assert world.payment != payments.CHARGED, "money kept for a cancelled order"
        assert world.shipment in (None, shipping.FAILED, shipping.VOIDED, shipping.CANCELLED)
        assert state.reason
    else:
        assert state.phase in (saga.CONFIRMED, saga.SHIPPED), state
        assert world.order == state.phase
        assert world.reservation == inventory.RESERVED
        assert world.payment == payments.CHARGED
        expected = shipping.DISPATCHED if state.phase == saga.SHIPPED else shipping.SCHEDULED
        assert world.shipment == expected


worlds = st.builds(
    World,
    stock=st.sampled_from([0, 1, 2, 5]),
    card=st.sampled_from(["4242", "0002"]),
    address=st.sampled_from(["1 Main St", "UNDELIVERABLE 9"]),
    amount=st.sampled_from([Decimal("25.00"), Decimal("20000.00")]),
)
# Delivering is the common move; the others are rarer, as in life, but each is always possible.
ACTIONS = ("deliver", "deliver", "deliver", "duplicate", "tick", "tick", "cancel", "dispatch")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds, data=st.data())
def test_any_delivery_order_ends_confirmed_or_fully_compensated(
    world: World, data: st.DataObject
) -> None:
    world.initial_stock = world.stock
    world.network.append(world.created_event())
    steps = data.draw(st.integers(min_value=0, max_value=30), label="steps")
    for _ in range(steps):
        action = data.draw(st.sampled_from(ACTIONS), label="action")
        if action in ("deliver", "duplicate") and world.network:
            index = data.draw(st.integers(0, len(world.network) - 1), label="message")
            message = world.network[index]
            if action == "deliver":
                world.network.pop(index)
            world.deliver(message)
        elif action == "tick":
            world.tick()
        elif action == "cancel":
            world.customer_cancels()
        elif action == "dispatch":
            world.warehouse_dispatches()
    world.settle(lambda n: data.draw(st.integers(0, n - 1), label="next"))
    check_outcome(world)


def happy_world() -> World:
    return World(
        stock=5, card="4242", address="1 Main St", amount=Decimal("25.00"), initial_stock=5
    )


def test_the_happy_path_confirms_with_each_step_once() -> None:
    world = happy_world()
    world.network.append(world.created_event())
    world.settle()
    assert world.state is not None and world.state.phase == saga.CONFIRMED
    assert world.state.requested == (
        saga.RESERVE_ITEMS,
        saga.PROCESS_PAYMENT,
        saga.SCHEDULE_SHIPPING,
        saga.CONFIRM_ORDER,
    )
    assert world.state.tracking_id == "TRK1"


def test_each_failure_gives_its_reason_and_runs_only_the_needed_compensations() -> None:
    cases = {
        "out of stock: Lamp": (dict(stock=1), []),
        "payment declined: card declined": (dict(card="0002"), [saga.RELEASE_ITEMS]),
        "shipping failed: address undeliverable": (
            dict(address="UNDELIVERABLE"),
            [saga.REFUND_PAYMENT, saga.RELEASE_ITEMS],
        ),
    }
    for reason, (change, undone) in cases.items():
        world = happy_world()
        for key, value in change.items():
            setattr(world, key, value)
        world.initial_stock = world.stock
        world.network.append(world.created_event())
        while world.network:
            world.deliver(world.network.pop(0))
        assert world.state is not None and world.state.phase == saga.CANCELLED
        assert world.state.reason == reason
        issued = [c for c in world.issued if c in saga.COMPENSATIONS]
        assert issued == [*undone, saga.CANCEL_ORDER]
        check_outcome(world)


def test_a_timeout_only_acts_once_the_step_waited_long_enough() -> None:
    world = happy_world()
    world.to_saga(saga.ORDER_CREATED, world.created_event().data)
    state = world.state
    early = saga.Event(saga.TIMEOUT, {}, now=world.now + TIMEOUT - 1)
    assert saga.decide(state, early, timeout=TIMEOUT) == (state, [])
    late = saga.Event(saga.TIMEOUT, {}, now=world.now + TIMEOUT + 1)
    new_state, commands = saga.decide(state, late, timeout=TIMEOUT)
    assert new_state is not None and new_state.phase == saga.COMPENSATING
    assert new_state.reason == "timed out waiting for inventory"
    assert [c.type for c in commands] == [saga.RELEASE_ITEMS]


def test_state_survives_its_json_form() -> None:
    world = happy_world()
    world.network.append(world.created_event())
    world.settle()
    assert world.state is not None
    assert saga.SagaState.from_json(world.state.to_json()) == world.state


def test_events_before_the_order_exists_start_nothing() -> None:
    event = saga.Event(saga.ITEMS_RESERVED, {"orderId": ORDER_ID}, now=1.0)
    assert saga.decide(None, event) == (None, [])


def deliver_first(world: World, to: str) -> None:
    """Deliver the first message for `to` now, overtaking those sent before it."""
    index = next(i for i, m in enumerate(world.network) if m.to == to)
    world.deliver(world.network.pop(index))


def run_until(world: World, phase: str) -> None:
    while world.state is None or world.state.phase != phase:
        world.deliver(world.network.pop(0))


def test_compensations_that_overtake_their_step_leave_tombstones() -> None:
    """Each step times out with its request still in flight; its compensation arrives first,
    so the late request must be refused, not acted on."""
    for phase, step, undo in (
        (saga.RESERVING, saga.RESERVE_ITEMS, saga.RELEASE_ITEMS),
        (saga.CHARGING, saga.PROCESS_PAYMENT, saga.REFUND_PAYMENT),
        (saga.SCHEDULING, saga.SCHEDULE_SHIPPING, saga.CANCEL_SHIPMENT),
    ):
        world = happy_world()
        world.network.append(world.created_event())
        run_until(world, phase)
        world.tick()
        deliver_first(world, undo)
        deliver_first(world, step)  # the late request
        world.settle()
        assert world.state is not None and world.state.phase == saga.CANCELLED, phase
        check_outcome(world)


def test_a_parcel_that_left_before_the_cancel_turns_the_order_shipped() -> None:
    world = happy_world()
    world.network.append(world.created_event())
    world.settle()
    world.customer_cancels()
    world.warehouse_dispatches()
    world.settle()
    assert world.state is not None and world.state.phase == saga.SHIPPED
    check_outcome(world)
