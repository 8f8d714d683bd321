"""Saga consumer: the order is cancelled: the last compensation is done."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import ORDER_CANCELLED
from shopfn.registry import on_event


@on_event(ORDER_CANCELLED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_order_cancelled(event: CloudEvent) -> None:
    """Order saga: the order is cancelled: the last compensation is done."""
    drive.on_event(event)
