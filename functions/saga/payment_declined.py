"""Saga consumer: payment declined: release the stock, cancel."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.saga import drive
from functions.saga.core import PAYMENT_DECLINED
from shopfn.registry import on_event


@on_event(PAYMENT_DECLINED, scale=drive.SCALE, stores=drive.STORES, emits=drive.COMMANDS)
def saga_payment_declined(event: CloudEvent) -> None:
    """Order saga: payment declined: release the stock, cancel."""
    drive.on_event(event)
