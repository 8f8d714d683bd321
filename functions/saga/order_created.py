"""Saga consumer: an order was placed: start it (reserve its items)."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import ORDER_CREATED
from shopfn.registry import on_event


@on_event(ORDER_CREATED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_order_created(event: CloudEvent) -> None:
    """Order saga: an order was placed: start it (reserve its items)."""
    drive.on_event(event)
