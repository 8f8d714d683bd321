"""Saga consumer: stock is reserved: take the payment."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import ITEMS_RESERVED
from shopfn.registry import on_event


@on_event(ITEMS_RESERVED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_inventory_reserved(event: CloudEvent) -> None:
    """Order saga: stock is reserved: take the payment."""
    drive.on_event(event)
