"""The saga's periodic tick: sagas stuck in a step time out (compensate, or ask again), and a
PENDING order left without a saga by an older deployment gets one."""

from __future__ import annotations

from typing import Any

from functions.orders.store import unstarted
from functions.saga import drive
from functions.saga.core import ORDER_CREATED, TIMEOUT
from functions.saga.db import transaction
from functions.saga.store import waiting
from shopfn.registry import Scale, periodic


@periodic("* * * * *", every=5.0, scale=Scale(max=1), stores=drive.STORES, emits=drive.COMMANDS)
def saga_tick() -> dict[str, Any]:
    """Time out sagas that waited longer than SHOPFN_SAGA_STEP_TIMEOUT (30 s) in a step; start
    the saga of an order that has waited that long without one."""
    with transaction() as cur:
        stuck = waiting(cur, drive.step_timeout())
        orphans = unstarted(cur, drive.step_timeout())
    for order_id in stuck:
        drive.advance(order_id, TIMEOUT, {"orderId": order_id})
    for data in orphans:
        drive.advance(data["orderId"], ORDER_CREATED, data)
    return {"timedOut": len(stuck), "started": len(orphans)}
