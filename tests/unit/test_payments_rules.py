"""The simulated provider's deterministic rules and the one-payment-per-order table."""

from __future__ import annotations

from decimal import Decimal

import pytest

from functions.payments import core

LIMIT = Decimal("10000")


@pytest.mark.parametrize(
    ("card", "amount", "declined"),
    [
        ("4242", Decimal("10.00"), None),
        ("0002", Decimal("10.00"), "card declined"),
        ("4242", Decimal("10000.00"), None),
        ("4242", Decimal("10000.01"), "amount 10000.01 exceeds the limit of 10000"),
        ("4242", Decimal("0"), "amount must be positive"),
    ],
)
def test_decline_rules(card: str, amount: Decimal, declined: str | None) -> None:
    assert core.decline_reason(card, amount, LIMIT) == declined


def test_a_repeated_charge_answers_like_the_first() -> None:
    assert core.charge_answer(core.CHARGED, "") == (True, "")
    assert core.charge_answer(core.DECLINED, "card declined") == (False, "card declined")
    assert core.charge_answer(core.VOIDED, "") == (False, core.CANCELLED_REASON)
    assert core.charge_answer(core.REFUNDED, "") == (False, core.CANCELLED_REASON)


def test_refunds_move_money_back_once_and_tombstone_a_missing_charge() -> None:
    assert core.refund_plan(None) == (core.VOIDED, False)
    assert core.refund_plan(core.CHARGED) == (core.REFUNDED, True)
    assert core.refund_plan(core.REFUNDED) == (core.REFUNDED, False)
    assert core.refund_plan(core.DECLINED) == (core.DECLINED, False)
