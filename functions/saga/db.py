"""One PostgreSQL transaction as a cursor, and the outbox relay, for the commerce functions.

Queueing for a connection when the pool is busy (and the 503 when none frees up) is
`shopfn.stores.pg_conn`'s job; this module only saves every caller the cursor boilerplate.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from shopfn import outbox
from shopfn.stores import pg_conn


@contextlib.contextmanager
def transaction(publish: list[str] | None = None) -> Iterator[Any]:
    """A cursor in one transaction: committed when the block ends, rolled back on error.

    The outbox event ids the block puts in `publish` are relayed right after the commit, on
    the same connection: the next step of a saga starts without a second trip to the pool.
    """
    with pg_conn() as conn, conn.cursor() as cur:
        yield cur
        if publish:
            conn.commit()
            outbox.relay(publish, cursor=cur)
