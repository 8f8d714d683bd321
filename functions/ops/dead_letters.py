"""The dead-letter sink: keeps every event the broker gave up on, for inspection and replay."""

from __future__ import annotations

import json

from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent

from shopfn.registry import Scale, on_event
from shopfn.stores import pg_conn

ERROR_EXTENSIONS = ("knativeerrordest", "knativeerrorcode", "knativeerrordata")


@on_event("", sink=True, stores=("postgres",), scale=Scale(max=2))
def ops_dead_letters(event: CloudEvent) -> None:
    """Keep a dead-lettered event (once per event, source and destination)."""
    headers, body = to_binary(event)
    with pg_conn() as conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO dead_letters (event_id, source, event_type, destination, error_code,"
            " error_data, headers, body) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (event_id, source, destination) DO NOTHING",
            (
                event["id"],
                event["source"],
                event["type"],
                str(event.get("knativeerrordest") or ""),
                str(event.get("knativeerrorcode") or ""),
                str(event.get("knativeerrordata") or ""),
                json.dumps(dict(headers)),
                body,
            ),
        )
