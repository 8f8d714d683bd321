"""ConfirmOrder and CancelOrder, applied by the saga inside its own transaction.

Orders and sagas live in one PostgreSQL database, so these two commands need no trip through
the broker: the saga applies them with its own cursor, the order and the saga's state change in
one commit, and the order's fact (shop.order.confirmed.v1 / shop.order.cancelled.v1) goes to
the outbox for the consumers that need it (notifications, analytics). What the saga would have
heard back from a remote participant is returned instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from functions.orders.store import (
    CANCELLED,
    cancel,
    cancelled_event,
    confirm,
    confirmed_event,
    count_business,
)
from functions.saga.core import CANCEL_ORDER, CONFIRM_ORDER, ORDER_CANCELLED, ORDER_CONFIRMED
from shopfn.events import event_data

LOCAL_COMMANDS = frozenset({CONFIRM_ORDER, CANCEL_ORDER})
FACTS = (ORDER_CONFIRMED, ORDER_CANCELLED)  # what applying them publishes


@dataclass(frozen=True)
class Applied:
    """What one command did to its order."""

    answer: str | None  # the event type the saga hears back; None: nothing to hear
    data: dict[str, Any]  # that event's data
    outbox_id: str | None  # the order's new fact, to relay after the commit
    order: dict[str, Any]
    change: str | None  # "confirmed" / "cancelled" when the order changed (business counters)

    def count(self) -> None:
        """The business counters, once the transaction committed."""
        if self.change is not None:
            count_business(self.order, self.change)


def apply(cur: Any, command: str, data: dict[str, Any]) -> Applied:
    """Apply ConfirmOrder or CancelOrder in the caller's transaction.

    The answers are those the orders participant gave over the broker: a repeated or late
    command answers with the order's fact as it stands (a cancelled order answers cancelled,
    a shipped one is never cancelled and answers nothing to a cancel).
    """
    order_id = data["orderId"]
    if command == CONFIRM_ORDER:
        order, changed = confirm(cur, order_id, data.get("trackingId", ""))
    elif command == CANCEL_ORDER:
        order, changed = cancel(cur, order_id, data["reason"])
    else:
        raise ValueError(f"{command} is not applied inside the saga")
    if order is None:
        raise LookupError(f"order {order_id} not found")  # the broker retries the saga's event
    if order["status"] == CANCELLED:
        fact = cancelled_event(order)
    elif command == CONFIRM_ORDER:
        fact = confirmed_event(order)
    else:
        fact = None
    change = ("confirmed" if command == CONFIRM_ORDER else "cancelled") if changed else None
    return Applied(
        answer=fact["type"] if fact is not None else None,
        data=event_data(fact) if fact is not None else {},
        outbox_id=str(fact["id"]) if changed and fact is not None else None,
        order=order,
        change=change,
    )
