"""The transactional outbox: an event is written with the data change, published after commit.

`write(cursor, event)` inside the transaction; after commit `relay([event_id])` publishes at once;
the periodic relay function calls `relay()` to publish whatever a crash left behind.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

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


def relay(event_ids: Sequence[str] | None = None, limit: int = 200, *, cursor: Any = None) -> int:
    """Publish unpublished outbox rows (all, or just `event_ids`), oldest first; returns count.

    Rows are claimed with SKIP LOCKED so concurrent relays never publish the same row at once;
    a publish failure leaves the row (and those after it) for the next run: delivery is at
    least once. With `cursor` the relay runs in the caller's transaction, which must have
    committed the rows' own writes already and commits the relay when it ends (a writer that
    relays on its own connection saves a trip to the pool).
    """
    if cursor is not None:
        return _relay(cursor, event_ids, limit)
    from shopfn.stores import pg_conn

    with pg_conn() as conn, conn.cursor() as cur:
        return _relay(cur, event_ids, limit)


def _relay(cur: Any, event_ids: Sequence[str] | None, limit: int) -> int:
    # One statement claims and marks the rows; the mark only commits after the publishing.
    args: list[Any]
    if event_ids is None:
        chosen, args = "ORDER BY id LIMIT %s", [limit]
    else:
        chosen, args = "AND event_id = ANY(%s) ORDER BY id", [list(event_ids)]
    cur.execute(
        "UPDATE outbox SET published_at = now() WHERE id IN (SELECT id FROM outbox"
        f" WHERE published_at IS NULL {chosen} FOR UPDATE SKIP LOCKED)"
        " RETURNING id, headers, body",
        args,
    )
    rows = sorted(cur.fetchall(), key=lambda row: int(row[0]))
    for index, (row_id, headers, body) in enumerate(rows):
        event = from_http(headers, bytes(body))
        try:
            publish(event)
        except Exception as exc:
            logs.log_event(
                log, "outbox publish failed", logging.WARNING, id=event["id"], error=str(exc)
            )
            cur.execute(
                "UPDATE outbox SET published_at = NULL,"
                " attempts = attempts + CASE WHEN id = %s THEN 1 ELSE 0 END WHERE id = ANY(%s)",
                (row_id, [row[0] for row in rows[index:]]),
            )
            return index
    return len(rows)
