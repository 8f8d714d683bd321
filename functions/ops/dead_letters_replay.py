"""POST /api/ops/dead-letters/{id}/replay: publish a dead letter again (admin)."""

from __future__ import annotations

from typing import Any

from cloudevents.http import from_http

from functions.ops.dead_letters import ERROR_EXTENSIONS
from shopfn.errors import not_found
from shopfn.events import publish
from shopfn.registry import http
from shopfn.stores import pg_conn
from shopfn.web import Request


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
