"""The saga's periodic tick: sagas stuck in a step time out (compensate, or ask again)."""

from __future__ import annotations

from typing import Any

from functions.saga import drive
from functions.saga.core import TIMEOUT
from functions.saga.db import transaction
from functions.saga.store import waiting
from shopfn.registry import Scale, periodic


@periodic("* * * * *", every=5.0, scale=Scale(max=1), stores=drive.STORES, emits=drive.COMMANDS)
def saga_tick() -> dict[str, Any]:
    """Time out sagas that waited longer than SHOPFN_SAGA_STEP_TIMEOUT (30 s) in a step."""
    with transaction() as cur:
        stuck = waiting(cur, drive.step_timeout())
    for order_id in stuck:
        drive.advance(order_id, TIMEOUT, {"orderId": order_id})
    return {"timedOut": len(stuck)}
