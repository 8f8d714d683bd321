"""Saga consumer: the order is confirmed."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import ORDER_CONFIRMED
from shopfn.registry import on_event


@on_event(ORDER_CONFIRMED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_order_confirmed(event: CloudEvent) -> None:
    """Order saga: the order is confirmed."""
    drive.on_event(event)
