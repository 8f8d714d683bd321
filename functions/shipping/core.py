"""Shipping rules, pure: which addresses fail, and what a shipment's status means per request.

An address containing UNDELIVERABLE (any case) fails, so a tester can watch the compensations.
A cancel that arrives before its schedule leaves a VOIDED tombstone; a dispatched shipment can
no longer be cancelled.
"""

from __future__ import annotations

import uuid

SCHEDULED = "scheduled"
FAILED = "failed"
VOIDED = "voided"
CANCELLED = "cancelled"
DISPATCHED = "dispatched"
UNDELIVERABLE = "UNDELIVERABLE"
CANCELLED_REASON = "order cancelled before shipping was scheduled"


def failure_reason(address: str) -> str | None:
    if not address.strip():
        return "no shipping address"
    if UNDELIVERABLE in address.upper():
        return "address undeliverable"
    return None


def schedule_answer(status: str, reason: str) -> tuple[bool, str]:
    """(scheduled?, reason) for a schedule request on an order that already has a shipment."""
    if status in (SCHEDULED, DISPATCHED):
        return True, ""
    if status == FAILED:
        return False, reason
    return False, CANCELLED_REASON


def cancel_plan(status: str | None) -> tuple[str, bool]:
    """(new status, cancelled?) for a cancel request; False means it had already left."""
    if status is None:
        return VOIDED, True
    if status == DISPATCHED:
        return DISPATCHED, False
    if status == SCHEDULED:
        return CANCELLED, True
    return status, True


def new_tracking_id() -> str:
    return "TRK" + uuid.uuid4().hex[:12].upper()
