"""Saga consumer: stock ran out: cancel the order."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import RESERVATION_FAILED
from shopfn.registry import on_event


@on_event(RESERVATION_FAILED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_inventory_reservation_failed(event: CloudEvent) -> None:
    """Order saga: stock ran out: cancel the order."""
    drive.on_event(event)
