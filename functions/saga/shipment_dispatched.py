"""Saga consumer: the parcel left: the order is shipped."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import SHIPMENT_DISPATCHED
from shopfn.registry import on_event


@on_event(SHIPMENT_DISPATCHED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_shipment_dispatched(event: CloudEvent) -> None:
    """Order saga: the parcel left: the order is shipped."""
    drive.on_event(event)
