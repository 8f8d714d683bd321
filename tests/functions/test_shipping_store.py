"""Shipping against real PostgreSQL: one shipment per order, failures, cancel and dispatch."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from functions.saga.db import transaction
from functions.shipping.store import cancel, dispatch, schedule

pytestmark = [pytest.mark.servers("postgres"), pytest.mark.timeout(60)]


@pytest.fixture(scope="module")
def migrated(servers: dict[str, str]) -> Iterator[None]:
    from shopfn import bootstrap

    bootstrap.migrate()
    yield


def ship(order: str, address: str = "1 Main St") -> tuple[bool, str, str]:
    with transaction() as cur:
        return schedule(cur, order, "u-1", address)


def call_off(order: str) -> tuple[bool, str]:
    with transaction() as cur:
        return cancel(cur, order, "u-1")


def send(order: str) -> tuple[str, str, str] | None:
    with transaction() as cur:
        return dispatch(cur, order)


def test_a_repeated_schedule_keeps_one_tracking_id(migrated: None) -> None:
    order = f"o-{uuid.uuid4().hex}"
    first = ship(order)
    assert first[0] and first[2].startswith("TRK")
    assert ship(order) == first


def test_an_undeliverable_address_fails(migrated: None) -> None:
    assert ship(f"o-{uuid.uuid4().hex}", "9 undeliverable way")[:2] == (
        False,
        "address undeliverable",
    )


def test_cancel_before_dispatch_and_not_after(migrated: None) -> None:
    cancelled, sent = f"o-{uuid.uuid4().hex}", f"o-{uuid.uuid4().hex}"
    _, _, tracking = ship(cancelled)
    assert call_off(cancelled) == (True, tracking)
    assert send(cancelled) == ("u-1", tracking, "cancelled")  # not dispatched
    ship(sent)
    assert send(sent) is not None
    assert call_off(sent)[0] is False
    assert send(f"o-{uuid.uuid4().hex}") is None


def test_a_cancel_that_overtakes_its_schedule_refuses_the_schedule(migrated: None) -> None:
    order = f"o-{uuid.uuid4().hex}"
    assert call_off(order)[0] is True
    scheduled, reason, _ = ship(order)
    assert not scheduled and "cancelled" in reason
