"""The order saga as a pure state machine: `decide(state, event) -> (new_state, commands)`.

No I/O here. The saga consumer loads the state, calls `decide` and stores the new state and the
commands in one transaction (`drive.py`): commands to remote participants as events in the
outbox; ConfirmOrder and CancelOrder, whose table shares the saga's database, applied in that
same transaction, their answer decided on at once.

Forward steps: ReserveItems -> ProcessPayment -> ScheduleShipping -> ConfirmOrder. On any failure
the compensations run one at a time, in reverse order of the steps that were *requested* (not
only those known to have succeeded: a step whose answer is late or lost may have acted, and each
participant treats a compensation for an effect it never made as a tombstone that refuses the
effect should its request arrive later). So a cancelled saga never leaves stock reserved or
money taken, whatever order the participants' answers arrive in.

Duplicate, late and out-of-order events are normal input: an event the current phase does not
wait for leaves the state as it is and issues nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

# Phases. CANCELLED and SHIPPED are final; CONFIRMED waits (without a deadline) for dispatch.
RESERVING = "RESERVING"
CHARGING = "CHARGING"
SCHEDULING = "SCHEDULING"
CONFIRMING = "CONFIRMING"
CONFIRMED = "CONFIRMED"
SHIPPED = "SHIPPED"
COMPENSATING = "COMPENSATING"
CANCELLED = "CANCELLED"

FINAL_PHASES = frozenset({SHIPPED, CANCELLED})
# Phases the periodic tick watches: each waits for one answer that should come soon.
TIMED_PHASES = frozenset({RESERVING, CHARGING, SCHEDULING, CONFIRMING, COMPENSATING})

# Commands: the saga's requests to the participants (events of these types).
RESERVE_ITEMS = "shop.saga.reserve-items.v1"
PROCESS_PAYMENT = "shop.saga.process-payment.v1"
SCHEDULE_SHIPPING = "shop.saga.schedule-shipping.v1"
CONFIRM_ORDER = "shop.saga.confirm-order.v1"
MARK_SHIPPED = "shop.saga.mark-shipped.v1"
CANCEL_SHIPMENT = "shop.saga.cancel-shipment.v1"
REFUND_PAYMENT = "shop.saga.refund-payment.v1"
RELEASE_ITEMS = "shop.saga.release-items.v1"
CANCEL_ORDER = "shop.saga.cancel-order.v1"
COMPENSATIONS = frozenset({CANCEL_SHIPMENT, REFUND_PAYMENT, RELEASE_ITEMS, CANCEL_ORDER})
COMMAND_TYPES = COMPENSATIONS | {
    RESERVE_ITEMS,
    PROCESS_PAYMENT,
    SCHEDULE_SHIPPING,
    CONFIRM_ORDER,
    MARK_SHIPPED,
}

# Events the saga reacts to.
ORDER_CREATED = "shop.order.created.v1"
CANCELLATION_REQUESTED = "shop.order.cancellation-requested.v1"
ORDER_CONFIRMED = "shop.order.confirmed.v1"
ORDER_CANCELLED = "shop.order.cancelled.v1"
ORDER_SHIPPED = "shop.order.shipped.v1"  # published by orders; the saga needs no answer to it
ITEMS_RESERVED = "shop.inventory.reserved.v1"
RESERVATION_FAILED = "shop.inventory.reservation-failed.v1"
ITEMS_RELEASED = "shop.inventory.released.v1"
PAYMENT_CHARGED = "shop.payment.charged.v1"
PAYMENT_DECLINED = "shop.payment.declined.v1"
PAYMENT_REFUNDED = "shop.payment.refunded.v1"
PAYMENT_VOIDED = "shop.payment.voided.v1"
SHIPMENT_SCHEDULED = "shop.shipment.scheduled.v1"
SHIPMENT_FAILED = "shop.shipment.failed.v1"
SHIPMENT_CANCELLED = "shop.shipment.cancelled.v1"
SHIPMENT_CANCEL_REJECTED = "shop.shipment.cancel-rejected.v1"
SHIPMENT_DISPATCHED = "shop.shipment.dispatched.v1"
TIMEOUT = "timeout"  # from the periodic tick, never a published event

SAGA_EVENTS: tuple[str, ...] = (
    ORDER_CREATED,
    CANCELLATION_REQUESTED,
    ORDER_CONFIRMED,
    ORDER_CANCELLED,
    ITEMS_RESERVED,
    RESERVATION_FAILED,
    ITEMS_RELEASED,
    PAYMENT_CHARGED,
    PAYMENT_DECLINED,
    PAYMENT_REFUNDED,
    PAYMENT_VOIDED,
    SHIPMENT_SCHEDULED,
    SHIPMENT_FAILED,
    SHIPMENT_CANCELLED,
    SHIPMENT_CANCEL_REJECTED,
    SHIPMENT_DISPATCHED,
)

# What answers each compensation: the event that lets the next one start.
_COMPENSATION_DONE: dict[str, frozenset[str]] = {
    CANCEL_SHIPMENT: frozenset({SHIPMENT_CANCELLED}),
    REFUND_PAYMENT: frozenset({PAYMENT_REFUNDED, PAYMENT_VOIDED}),
    RELEASE_ITEMS: frozenset({ITEMS_RELEASED}),
    CANCEL_ORDER: frozenset({ORDER_CANCELLED}),
}
# The compensation of each forward step, in the order they are undone (latest first).
_UNDO: tuple[tuple[str, str], ...] = (
    (SCHEDULE_SHIPPING, CANCEL_SHIPMENT),
    (PROCESS_PAYMENT, REFUND_PAYMENT),
    (RESERVE_ITEMS, RELEASE_ITEMS),
)


@dataclass(frozen=True)
class Event:
    """One input: a participant's answer, a customer's request, or the tick's timeout."""

    type: str
    data: Mapping[str, Any] = field(default_factory=dict)
    now: float = 0.0  # seconds since the epoch, when the consumer saw the event


@dataclass(frozen=True)
class Command:
    type: str
    data: dict[str, Any]

    @property
    def is_compensation(self) -> bool:
        return self.type in COMPENSATIONS


@dataclass(frozen=True)
class SagaState:
    """Everything the saga knows about one order; stored as JSON (see `to_json`)."""

    order_id: str
    user_id: str
    phase: str
    order: dict[str, Any]  # items, total, currency, cardLast4, shippingAddress
    since: float  # when the current phase (or compensation) began
    requested: tuple[str, ...] = ()  # forward commands issued so far
    compensations: tuple[str, ...] = ()  # still to run; the first is in flight
    reason: str = ""
    tracking_id: str = ""
    dispatched: bool = False

    @property
    def is_final(self) -> bool:
        return self.phase in FINAL_PHASES

    def to_json(self) -> dict[str, Any]:
        return {
            "orderId": self.order_id,
            "userId": self.user_id,
            "phase": self.phase,
            "order": self.order,
            "since": self.since,
            "requested": list(self.requested),
            "compensations": list(self.compensations),
            "reason": self.reason,
            "trackingId": self.tracking_id,
            "dispatched": self.dispatched,
        }

    @classmethod
    def from_json(cls, doc: Mapping[str, Any]) -> SagaState:
        return cls(
            order_id=doc["orderId"],
            user_id=doc["userId"],
            phase=doc["phase"],
            order=dict(doc["order"]),
            since=float(doc["since"]),
            requested=tuple(doc.get("requested", ())),
            compensations=tuple(doc.get("compensations", ())),
            reason=doc.get("reason", ""),
            tracking_id=doc.get("trackingId", ""),
            dispatched=bool(doc.get("dispatched", False)),
        )


Decision = tuple[SagaState | None, list[Command]]


def command_data(state: SagaState, command: str) -> dict[str, Any]:
    """The data of `command` for this order (each matches its schema in events/)."""
    base: dict[str, Any] = {"orderId": state.order_id, "userId": state.user_id}
    order = state.order
    if command in (RESERVE_ITEMS, RELEASE_ITEMS):
        items = [{"productId": i["productId"], "quantity": i["quantity"]} for i in order["items"]]
        return {**base, "items": items}
    if command == PROCESS_PAYMENT:
        return {
            **base,
            "amount": order["total"],
            "currency": order["currency"],
            "cardLast4": order.get("cardLast4", ""),
        }
    if command == SCHEDULE_SHIPPING:
        return {**base, "address": order.get("shippingAddress", ""), "items": order["items"]}
    if command == CANCEL_ORDER:
        return {**base, "reason": state.reason}
    if command == MARK_SHIPPED:
        return {**base, "trackingId": state.tracking_id}
    if command == CONFIRM_ORDER:
        return {**base, "trackingId": state.tracking_id}
    return base


def _issue(state: SagaState, command: str) -> Command:
    return Command(command, command_data(state, command))


def _advance(state: SagaState, phase: str, command: str, now: float, **changes: Any) -> Decision:
    """Move forward to `phase`, requesting `command`."""
    new = replace(state, phase=phase, since=now, requested=(*state.requested, command), **changes)
    return new, [_issue(new, command)]


def _compensate(state: SagaState, reason: str, now: float) -> Decision:
    """Undo every requested step, latest first, then cancel the order; one at a time."""
    todo = [undo for step, undo in _UNDO if step in state.requested]
    todo.append(CANCEL_ORDER)
    new = replace(state, phase=COMPENSATING, since=now, compensations=tuple(todo), reason=reason)
    return new, [_issue(new, todo[0])]


def _failed(state: SagaState, step: str, reason: str, now: float) -> Decision:
    """`step` failed for good (its participant recorded the refusal): undo only the others."""
    rest = tuple(s for s in state.requested if s != step)
    return _compensate(replace(state, requested=rest), reason, now)


def _next_compensation(state: SagaState, now: float) -> Decision:
    rest = state.compensations[1:]
    if not rest:
        return replace(state, phase=CANCELLED, since=now, compensations=()), []
    new = replace(state, compensations=rest, since=now)
    return new, [_issue(new, rest[0])]


def _start(event: Event) -> Decision:
    if event.type != ORDER_CREATED:
        return None, []  # nothing to act on before the order exists
    data = event.data
    state = SagaState(
        order_id=data["orderId"],
        user_id=data["userId"],
        phase=RESERVING,
        order={
            "items": [dict(item) for item in data["items"]],
            "total": data["total"],
            "currency": data["currency"],
            "cardLast4": data.get("cardLast4", ""),
            "shippingAddress": data.get("shippingAddress", ""),
        },
        since=event.now,
    )
    return _advance(state, RESERVING, RESERVE_ITEMS, event.now)


def _timed_out(state: SagaState, event: Event, timeout: float) -> Decision:
    if state.phase not in TIMED_PHASES or event.now - state.since < timeout:
        return state, []
    if state.phase == COMPENSATING:
        # Compensations cannot be given up: ask again (participants are idempotent).
        return replace(state, since=event.now), [_issue(state, state.compensations[0])]
    if state.phase == CONFIRMING:
        return replace(state, since=event.now), [_issue(state, CONFIRM_ORDER)]
    step = {RESERVING: "inventory", CHARGING: "payment", SCHEDULING: "shipping"}[state.phase]
    return _compensate(state, f"timed out waiting for {step}", event.now)


def _on_compensating(state: SagaState, event: Event) -> Decision:
    current = state.compensations[0]
    if event.type in _COMPENSATION_DONE[current]:
        return _next_compensation(state, event.now)
    if current == CANCEL_SHIPMENT and event.type in (SHIPMENT_CANCEL_REJECTED, SHIPMENT_DISPATCHED):
        # The parcel left first: the order can no longer be cancelled; finish it instead.
        # Nothing was compensated yet (cancelling the shipment is always the first undo).
        return _advance(
            state,
            CONFIRMING,
            CONFIRM_ORDER,
            event.now,
            compensations=(),
            reason="",
            dispatched=True,
        )
    return state, []


def decide(state: SagaState | None, event: Event, *, timeout: float = 30.0) -> Decision:
    """The saga's next state and the commands to send, for one input event.

    `timeout` is how long a phase may wait for its answer before a TIMEOUT input acts.
    Returns the state unchanged and no commands when the event changes nothing.
    """
    if state is None:
        return _start(event)
    if state.is_final:
        return state, []
    now = event.now
    if event.type == TIMEOUT:
        return _timed_out(state, event, timeout)
    if event.type == SHIPMENT_DISPATCHED and state.phase != COMPENSATING:
        state = replace(state, dispatched=True, tracking_id=event.data.get("trackingId", ""))
        if state.phase == CONFIRMED:
            return _advance(state, SHIPPED, MARK_SHIPPED, now)
        return state, []
    if state.phase == COMPENSATING:
        return _on_compensating(state, event)
    if event.type == CANCELLATION_REQUESTED:
        if state.dispatched:
            return state, []
        return _compensate(state, event.data.get("reason") or "cancelled by customer", now)
    phase, kind = state.phase, event.type
    if phase == RESERVING and kind == ITEMS_RESERVED:
        return _advance(state, CHARGING, PROCESS_PAYMENT, now)
    if phase == RESERVING and kind == RESERVATION_FAILED:
        return _failed(state, RESERVE_ITEMS, event.data.get("reason") or "out of stock", now)
    if phase == CHARGING and kind == PAYMENT_CHARGED:
        return _advance(state, SCHEDULING, SCHEDULE_SHIPPING, now)
    if phase == CHARGING and kind == PAYMENT_DECLINED:
        reason = f"payment declined: {event.data.get('reason', '')}"
        return _failed(state, PROCESS_PAYMENT, reason, now)
    if phase == SCHEDULING and kind == SHIPMENT_SCHEDULED:
        tracking = event.data.get("trackingId", "")
        return _advance(state, CONFIRMING, CONFIRM_ORDER, now, tracking_id=tracking)
    if phase == SCHEDULING and kind == SHIPMENT_FAILED:
        reason = f"shipping failed: {event.data.get('reason', '')}"
        return _failed(state, SCHEDULE_SHIPPING, reason, now)
    if phase == CONFIRMING and kind == ORDER_CONFIRMED:
        if state.dispatched:
            return _advance(state, SHIPPED, MARK_SHIPPED, now)
        return replace(state, phase=CONFIRMED, since=now), []
    return state, []
