"""GET /api/ops/dead-letters: what the broker gave up on, newest first (admin)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shopfn.registry import http
from shopfn.stores import pg_conn
from shopfn.web import Request


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
