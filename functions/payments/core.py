"""The simulated payment provider's rules, pure, and what a payment record means per request.

Deterministic so a tester can choose the outcome: a card number ending in 0002 is declined, an
amount above the limit (SHOPFN_PAYMENT_LIMIT, default 10000) is declined. One payment record per
order: a second charge request answers with the first outcome, never charges again. A refund
that arrives before its charge leaves a VOIDED tombstone that makes the late charge fail.
"""

from __future__ import annotations

from decimal import Decimal

CHARGED = "charged"
DECLINED = "declined"
VOIDED = "voided"  # refunded before any charge: a later charge is refused
REFUNDED = "refunded"
DECLINED_CARD = "0002"
DEFAULT_LIMIT = Decimal("10000")
CANCELLED_REASON = "order cancelled before payment"


def decline_reason(card_last4: str, amount: Decimal, limit: Decimal) -> str | None:
    """Why the provider declines this charge, or None when it accepts it."""
    if card_last4 == DECLINED_CARD:
        return "card declined"
    if amount > limit:
        return f"amount {amount} exceeds the limit of {limit}"
    if amount <= 0:
        return "amount must be positive"
    return None


def charge_answer(status: str, reason: str) -> tuple[bool, str]:
    """(charged?, reason) for a charge request on an order that already has a record."""
    if status == CHARGED:
        return True, ""
    if status == DECLINED:
        return False, reason
    return False, CANCELLED_REASON


def refund_plan(status: str | None) -> tuple[str, bool]:
    """(new status, move money back?) for a refund request."""
    if status is None:
        return VOIDED, False
    if status == CHARGED:
        return REFUNDED, True
    return status, False
