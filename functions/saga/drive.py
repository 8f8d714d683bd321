"""Drives the pure saga: load, decide, save with its commands in the outbox, one transaction.

Optimistic concurrency: two events of one order handled at once both read version n; the first
commit wins, the other's conditional write touches no row, so it rolls back, reads again and
decides again on the newer state.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from cloudevents.http import CloudEvent

from functions.saga.core import COMMAND_TYPES, Command, Event, SagaState, decide
from functions.saga.db import relay, transaction
from functions.saga.store import load, save
from shopfn import logs, outbox
from shopfn.config import settings
from shopfn.events import event_data, new_event
from shopfn.metrics import saga_compensations
from shopfn.registry import Scale

log = logs.get_logger("saga")
SCALE = Scale(max=20, concurrency=50)
STORES = ("postgres",)
COMMANDS = tuple(sorted(COMMAND_TYPES))
MAX_ATTEMPTS = 20
DEFAULT_STEP_TIMEOUT = 30.0


class SagaConflict(RuntimeError):
    """Too many concurrent writers on one saga: the broker retries the event later."""


def step_timeout() -> float:
    return float(settings().get("SAGA_STEP_TIMEOUT") or DEFAULT_STEP_TIMEOUT)


def _apply_once(order_id: str, event: Event) -> tuple[bool, SagaState | None, list[Command]]:
    """One optimistic attempt: (committed or nothing to do?, new state, commands sent)."""
    with transaction() as cur:
        state, version = load(cur, order_id)
        new_state, commands = decide(state, event, timeout=step_timeout())
        if new_state is None or (new_state == state and not commands):
            return True, state, []
        if not save(cur, new_state, version):
            return False, state, []  # nothing was written: the commit is empty
        ids = [outbox.write(cur, new_event(c.type, c.data, subject=order_id)) for c in commands]
    if ids:
        relay(ids)
    return True, new_state, commands


def advance(order_id: str, event_type: str, data: Mapping[str, Any]) -> SagaState | None:
    """Feed one event to the order's saga; returns the saga's state afterwards."""
    event = Event(event_type, data, now=time.time())
    for attempt in range(MAX_ATTEMPTS):
        done, state, commands = _apply_once(order_id, event)
        if done:
            for command in commands:
                if command.is_compensation:
                    saga_compensations.labels(command.type.split(".")[2]).inc()
            if commands:
                logs.log_event(
                    log,
                    "saga advanced",
                    logging.INFO,
                    order=order_id,
                    on=event_type,
                    phase=state.phase if state else "",
                    commands=[c.type for c in commands],
                )
            return state
        time.sleep(0.002 * (attempt + 1))
    raise SagaConflict(f"saga of order {order_id} kept changing under {event_type}")


def on_event(event: CloudEvent) -> None:
    """The body of every saga consumer: the event's order id is its subject and its data's."""
    data = event_data(event)
    advance(data["orderId"], event["type"], data)
