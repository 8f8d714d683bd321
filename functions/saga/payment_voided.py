"""Saga consumer: nothing was charged: the refund step is done."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import PAYMENT_VOIDED
from shopfn.registry import on_event


@on_event(PAYMENT_VOIDED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_payment_voided(event: CloudEvent) -> None:
    """Order saga: nothing was charged: the refund step is done."""
    drive.on_event(event)
