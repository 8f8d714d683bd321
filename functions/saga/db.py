"""One PostgreSQL transaction for the commerce functions, without exhausting the pool.

`shopfn.stores.pg_pool()` is a psycopg2 ThreadedConnectionPool of 20 that raises PoolError at
once when every connection is out; 50 shoppers checking out together would get 500s. So the
commerce functions queue for a slot (fewer than the pool holds, leaving room for the outbox
relay and other functions in the same process) and answer 503 when none frees up in time.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from shopfn.config import settings
from shopfn.errors import ApiError
from shopfn.stores import pg_conn

SLOTS = 16
_slots = threading.BoundedSemaphore(SLOTS)


@contextlib.contextmanager
def slot() -> Iterator[None]:
    if not _slots.acquire(timeout=settings().request_timeout):
        raise ApiError(503, "the database is busy; try again", headers={"Retry-After": "1"})
    try:
        yield
    finally:
        _slots.release()


@contextlib.contextmanager
def transaction() -> Iterator[Any]:
    """A cursor in one transaction: committed when the block ends, rolled back on error."""
    with slot(), pg_conn() as conn, conn.cursor() as cur:
        yield cur


def relay(event_ids: list[str]) -> None:
    """Publish these outbox rows now (the periodic relay retries what fails)."""
    from shopfn import outbox

    with slot():
        outbox.relay(event_ids)
