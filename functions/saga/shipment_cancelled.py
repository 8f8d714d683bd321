"""Saga consumer: the shipment is cancelled."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import SHIPMENT_CANCELLED
from shopfn.registry import on_event


@on_event(SHIPMENT_CANCELLED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_shipment_cancelled(event: CloudEvent) -> None:
    """Order saga: the shipment is cancelled."""
    drive.on_event(event)
