"""Saga consumer: the parcel had left: the order goes on."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import SHIPMENT_CANCEL_REJECTED
from shopfn.registry import on_event


@on_event(SHIPMENT_CANCEL_REJECTED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_shipment_cancel_rejected(event: CloudEvent) -> None:
    """Order saga: the parcel had left: the order goes on."""
    drive.on_event(event)
