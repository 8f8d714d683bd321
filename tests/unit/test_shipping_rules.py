"""Shipping's failure rule and what a shipment's status means for each request."""

from __future__ import annotations

from functions.shipping import core


def test_undeliverable_addresses_fail_in_any_case() -> None:
    assert core.failure_reason("1 Main St") is None
    assert core.failure_reason("12 Undeliverable Road") == "address undeliverable"
    assert core.failure_reason("  ") == "no shipping address"


def test_cancel_plan_refuses_only_dispatched_shipments() -> None:
    assert core.cancel_plan(None) == (core.VOIDED, True)
    assert core.cancel_plan(core.SCHEDULED) == (core.CANCELLED, True)
    assert core.cancel_plan(core.DISPATCHED) == (core.DISPATCHED, False)
    assert core.cancel_plan(core.FAILED) == (core.FAILED, True)


def test_a_late_schedule_after_a_cancel_is_refused() -> None:
    assert core.schedule_answer(core.VOIDED, "") == (False, core.CANCELLED_REASON)
    assert core.schedule_answer(core.SCHEDULED, "") == (True, "")
    assert core.schedule_answer(core.FAILED, "address undeliverable")[0] is False


def test_tracking_ids_are_distinct() -> None:
    assert len({core.new_tracking_id() for _ in range(1000)}) == 1000
