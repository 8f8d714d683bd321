"""What the saga's participants share: answers with stable ids, and the time stamp they carry."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from cloudevents.http import CloudEvent

from shopfn import jsonio
from shopfn.events import new_event

CENT = Decimal("0.01")


def utc_now() -> str:
    """Now, as the RFC 3339 text events carry."""
    return datetime.now(UTC).isoformat()


def money(amount: Decimal) -> float:
    """An amount as the JSON number events carry (two decimals)."""
    return float(amount.quantize(CENT))


def answer(event_type: str, order_id: str, data: Mapping[str, Any]) -> CloudEvent:
    """A participant's answer about one order.

    Its id is fixed by (type, order): a redelivered request answers with the same event again,
    so consumers that dedupe by id see one fact, and the saga sees a harmless duplicate.
    """
    plain = jsonio.to_plain(dict(data))
    return new_event(event_type, plain, subject=order_id, event_id=f"{event_type}:{order_id}")


def lock_order(cur: Any, scope: str, order_id: str) -> None:
    """Serialize one participant's work on one order until the transaction ends.

    A row lock cannot do it before the order's first record exists: two redeliveries of the
    same request may run at once.
    """
    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))", (scope, order_id))
