"""Payments against real PostgreSQL: one charge per order, refunds, tombstones, the limit."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest

from functions.payments.store import charge, refund, taken
from functions.saga.db import transaction
from shopfn import bootstrap, config

pytestmark = [pytest.mark.servers("postgres"), pytest.mark.timeout(60)]


@pytest.fixture(scope="module")
def migrated(servers: dict[str, str]) -> Iterator[None]:
    bootstrap.migrate()
    yield


def pay(order: str, amount: str = "25.00", card: str = "4242") -> tuple[bool, str, str]:
    with transaction() as cur:
        return charge(cur, order, "u-1", Decimal(amount), "USD", card)


def give_back(order: str) -> tuple[bool, str, Decimal, str]:
    with transaction() as cur:
        return refund(cur, order, "u-1")


def held(order: str) -> Decimal:
    with transaction() as cur:
        return taken(cur, order)


def test_concurrent_duplicates_charge_once(migrated: None) -> None:
    order = f"o-{uuid.uuid4().hex}"
    answers: list[tuple[bool, str, str]] = []
    threads = [threading.Thread(target=lambda: answers.append(pay(order))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(answers) == 8
    assert {a[2] for a in answers} == {answers[0][2]}, "one payment id for every answer"
    assert all(a[0] for a in answers)
    assert held(order) == Decimal("25.00")


def test_declines_by_card_and_by_limit(migrated: None, monkeypatch: pytest.MonkeyPatch) -> None:
    assert pay(f"o-{uuid.uuid4().hex}", card="0002")[:2] == (False, "card declined")
    monkeypatch.setenv("SHOPFN_PAYMENT_LIMIT", "100")
    config.reload()
    try:
        charged, reason, _ = pay(f"o-{uuid.uuid4().hex}", amount="100.01")
        assert not charged and reason == "amount 100.01 exceeds the limit of 100"
        assert pay(f"o-{uuid.uuid4().hex}", amount="100.00")[0]
    finally:
        monkeypatch.delenv("SHOPFN_PAYMENT_LIMIT")
        config.reload()


def test_a_refund_moves_money_back_once(migrated: None) -> None:
    order = f"o-{uuid.uuid4().hex}"
    _, _, payment_id = pay(order)
    assert give_back(order) == (True, payment_id, Decimal("25.00"), "USD")
    assert give_back(order)[0] is True  # answers like the first time, moves nothing more
    assert held(order) == 0
    assert pay(order)[0] is False, "a refunded order is never charged again"


def test_a_refund_that_overtakes_its_charge_refuses_the_charge(migrated: None) -> None:
    order = f"o-{uuid.uuid4().hex}"
    assert give_back(order)[0] is False
    charged, reason, _ = pay(order)
    assert not charged and "cancelled" in reason
    assert held(order) == 0
