"""The transactional outbox: an event is written with the data change, published after commit.

`write(cursor, event)` inside the transaction; after commit `relay([event_id])` publishes at once;
the periodic relay function calls `relay()` to publish whatever a crash left behind.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent, from_http

from shopfn import logs
from shopfn.events import publish

log = logs.get_logger("shopfn.outbox")


def write(cursor: object, event: CloudEvent) -> str:
    """Add `event` to the outbox inside the caller's transaction; returns its id."""
    headers, body = to_binary(event)
    cursor.execute(  # type: ignore[attr-defined]
        "INSERT INTO outbox (event_id, event_type, headers, body) VALUES (%s, %s, %s, %s)",
        (event["id"], event["type"], json.dumps(dict(headers)), body),
    )
    return str(event["id"])


def relay(event_ids: Sequence[str] | None = None, limit: int = 200) -> int:
    """Publish unpublished outbox rows (all, or just `event_ids`), oldest first; returns count.

    Rows are locked with SKIP LOCKED so concurrent relays never publish the same row at once;
    a publish failure leaves the row for the next run (delivery is at least once).
    """
    from shopfn.stores import pg_conn

    published = 0
    with pg_conn() as conn, conn.cursor() as cur:
        if event_ids is None:
            cur.execute(
                "SELECT id, headers, body FROM outbox WHERE published_at IS NULL"
                " ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
                (limit,),
            )
        else:
            cur.execute(
                "SELECT id, headers, body FROM outbox WHERE published_at IS NULL"
                " AND event_id = ANY(%s) ORDER BY id FOR UPDATE SKIP LOCKED",
                (list(event_ids),),
            )
        for row_id, headers, body in cur.fetchall():
            event = from_http(headers, bytes(body))
            try:
                publish(event)
            except Exception as exc:
                logs.log_event(
                    log, "outbox publish failed", logging.WARNING, id=event["id"], error=str(exc)
                )
                cur.execute("UPDATE outbox SET attempts = attempts + 1 WHERE id = %s", (row_id,))
                break
            cur.execute("UPDATE outbox SET published_at = now() WHERE id = %s", (row_id,))
            published += 1
    return published
