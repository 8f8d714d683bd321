"""Saga consumer: shipping scheduled: confirm the order."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import SHIPMENT_SCHEDULED
from shopfn.registry import on_event


@on_event(SHIPMENT_SCHEDULED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_shipment_scheduled(event: CloudEvent) -> None:
    """Order saga: shipping scheduled: confirm the order."""
    drive.on_event(event)
