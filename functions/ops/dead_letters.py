"""The dead-letter sink: keeps every event the broker gave up on, for inspection and replay."""

from __future__ import annotations

import json
from typing import Any

from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent, from_http
from pydantic import BaseModel, ConfigDict, Field
from shopfn.errors import not_found
from shopfn.events import publish
from shopfn.registry import Scale, http, on_event
from shopfn.stores import pg_conn
from shopfn.web import Request

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


class DeadLetterQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=50, ge=1, le=500)


@http(
    "GET",
    "/api/ops/dead-letters",
    auth="admin",
    query=DeadLetterQuery,
    stores=("postgres",),
    tags=("ops",),
)
def ops_dead_letters_list(req: Request) -> dict[str, Any]:
    """Dead letters, newest first."""
    q: DeadLetterQuery = req.args
    with pg_conn() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT id, event_id, source, event_type, destination, error_code, error_data,"
            " received_at, replayed_at FROM dead_letters ORDER BY id DESC LIMIT %s",
            (q.limit,),
        )
        columns = [c.name for c in cur.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
    return {"deadLetters": rows}


@http(
    "POST",
    "/api/ops/dead-letters/{id}/replay",
    auth="admin",
    stores=("postgres",),
    tags=("ops",),
)
def ops_dead_letters_replay(req: Request) -> dict[str, Any]:
    """Publish a dead letter again, without its error extensions."""
    with pg_conn() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT headers, body FROM dead_letters WHERE id = %s FOR UPDATE",
            (req.params["id"] if req.params["id"].isdigit() else -1,),
        )
        row = cur.fetchone()
        if row is None:
            raise not_found(f"dead letter {req.params['id']}")
        headers = {k: v for k, v in row[0].items() if k.removeprefix("ce-") not in ERROR_EXTENSIONS}
        publish(from_http(headers, bytes(row[1])))
        cur.execute(
            "UPDATE dead_letters SET replayed_at = now() WHERE id = %s", (req.params["id"],)
        )
    return {"replayed": int(req.params["id"])}
