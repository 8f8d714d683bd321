"""Saga consumer: the shopper asked to cancel: compensate what was done."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import CANCELLATION_REQUESTED
from shopfn.registry import on_event


@on_event(CANCELLATION_REQUESTED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_order_cancellation_requested(event: CloudEvent) -> None:
    """Order saga: the shopper asked to cancel: compensate what was done."""
    drive.on_event(event)
