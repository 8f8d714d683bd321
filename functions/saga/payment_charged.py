"""Saga consumer: payment taken: schedule shipping."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import PAYMENT_CHARGED
from shopfn.registry import on_event


@on_event(PAYMENT_CHARGED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_payment_charged(event: CloudEvent) -> None:
    """Order saga: payment taken: schedule shipping."""
    drive.on_event(event)
