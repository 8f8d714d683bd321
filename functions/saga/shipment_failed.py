"""Saga consumer: shipping failed: refund, release, cancel."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import SHIPMENT_FAILED
from shopfn.registry import on_event


@on_event(SHIPMENT_FAILED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_shipment_failed(event: CloudEvent) -> None:
    """Order saga: shipping failed: refund, release, cancel."""
    drive.on_event(event)
