"""Drives the pure saga: load, decide, save with its commands in the outbox, one transaction.

Optimistic concurrency: two events of one order handled at once both read version n; the first
commit wins, the other's conditional write touches no row, so it rolls back, reads again and
decides again on the newer state.

ConfirmOrder and CancelOrder change the orders table, which lives in the saga's own database:
they are applied in the saga's transaction (`functions.orders.saga_steps`) and their answer is
decided on at once, instead of a round trip through the broker. The other commands go to their
participants through the outbox.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cloudevents.http import CloudEvent

from functions.orders import saga_steps
from functions.saga.core import COMMAND_TYPES, Command, Event, SagaState, decide
from functions.saga.db import transaction
from functions.saga.store import load, save
from shopfn import logs, outbox
from shopfn.config import settings
from shopfn.events import event_data, new_event
from shopfn.metrics import saga_compensations
from shopfn.registry import Scale

log = logs.get_logger("saga")
SCALE = Scale(max=20, concurrency=50)
STORES = ("postgres",)
# What the saga's functions publish: the commands sent to remote participants, and the facts
# of the orders they confirm or cancel themselves.
REMOTE_COMMANDS = COMMAND_TYPES - saga_steps.LOCAL_COMMANDS
COMMANDS = tuple(sorted(REMOTE_COMMANDS | set(saga_steps.FACTS)))
MAX_ATTEMPTS = 20
DEFAULT_STEP_TIMEOUT = 30.0


class SagaConflict(RuntimeError):
    """Too many concurrent writers on one saga: the broker retries the event later."""


class _StaleVersion(Exception):
    """Another event of the same order committed first: roll this attempt back."""


@dataclass
class Step:
    """One event's effect on a saga, as written in one transaction."""

    state: SagaState | None
    commands: list[Command] = field(default_factory=list)  # every command issued, local too
    outbox_ids: list[str] = field(default_factory=list)  # to relay once committed
    applied: list[saga_steps.Applied] = field(default_factory=list)

    def after_commit(self, order_id: str, event_type: str) -> None:
        """Count and log what was committed (its outbox rows are relayed by `transaction`)."""
        for applied in self.applied:
            applied.count()
        for command in self.commands:
            if command.is_compensation:
                saga_compensations.labels(command.type.split(".")[2]).inc()
        if self.commands:
            logs.log_event(
                log,
                "saga advanced",
                logging.INFO,
                order=order_id,
                on=event_type,
                phase=self.state.phase if self.state else "",
                commands=[c.type for c in self.commands],
            )


def step_timeout() -> float:
    return float(settings().get("SAGA_STEP_TIMEOUT") or DEFAULT_STEP_TIMEOUT)


def _decide_here(cur: Any, state: SagaState | None, event: Event) -> Step:
    """Decide on `event`, applying local commands in this transaction and deciding on their
    answers in turn; the remote commands are left in `commands` for the outbox."""
    new_state, commands = decide(state, event, timeout=step_timeout())
    step = Step(new_state)
    pending = list(commands)
    while pending:
        command = pending.pop(0)
        step.commands.append(command)
        if command.type not in saga_steps.LOCAL_COMMANDS:
            continue
        applied = saga_steps.apply(cur, command.type, command.data)
        step.applied.append(applied)
        if applied.outbox_id is not None:
            step.outbox_ids.append(applied.outbox_id)
        if applied.answer is not None:
            answer = Event(applied.answer, applied.data, now=event.now)
            step.state, more = decide(step.state, answer, timeout=step_timeout())
            pending.extend(more)
    return step


def write_step(cur: Any, order_id: str, event: Event) -> Step | None:
    """Everything `event` does to the order's saga, written with the caller's cursor.

    None when nothing changes. Raises _StaleVersion when another writer got there first; the
    caller's transaction must then roll back (local commands may have written).
    """
    state, version = load(cur, order_id)
    step = _decide_here(cur, state, event)
    if step.state is None or (step.state == state and not step.commands):
        return None
    if not save(cur, step.state, version):
        raise _StaleVersion(order_id)
    for command in step.commands:
        if command.type in REMOTE_COMMANDS:
            step.outbox_ids.append(
                outbox.write(cur, new_event(command.type, command.data, subject=order_id))
            )
    return step


def start(cur: Any, created: CloudEvent) -> Step:
    """Start the saga of an order just created in this transaction (checkout does it, so the
    first command leaves with the order, without a delivery of shop.order.created.v1)."""
    data = event_data(created)
    step = write_step(cur, data["orderId"], Event(created["type"], data, now=time.time()))
    if step is None:
        raise RuntimeError(f"the saga of order {data['orderId']} did not start")
    return step


def advance(order_id: str, event_type: str, data: Mapping[str, Any]) -> None:
    """Feed one event to the order's saga."""
    event = Event(event_type, data, now=time.time())
    for attempt in range(MAX_ATTEMPTS):
        publish: list[str] = []
        try:
            with transaction(publish) as cur:
                step = write_step(cur, order_id, event)
                publish.extend(step.outbox_ids if step is not None else ())
        except _StaleVersion:
            time.sleep(0.002 * (attempt + 1))
            continue
        if step is not None:
            step.after_commit(order_id, event_type)
        return
    raise SagaConflict(f"saga of order {order_id} kept changing under {event_type}")


def on_event(event: CloudEvent) -> None:
    """The body of every saga consumer: the event's order id is its subject and its data's."""
    data = event_data(event)
    advance(data["orderId"], event["type"], data)
