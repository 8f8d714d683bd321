"""Saga consumer: payment refunded."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import PAYMENT_REFUNDED
from shopfn.registry import on_event


@on_event(PAYMENT_REFUNDED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_payment_refunded(event: CloudEvent) -> None:
    """Order saga: payment refunded."""
    drive.on_event(event)
