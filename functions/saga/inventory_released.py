"""Saga consumer: stock is released."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import ITEMS_RELEASED
from shopfn.registry import on_event


@on_event(ITEMS_RELEASED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_inventory_released(event: CloudEvent) -> None:
    """Order saga: stock is released."""
    drive.on_event(event)
