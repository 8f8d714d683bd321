"""Saga state in PostgreSQL, one row per order, guarded by a version column."""

from __future__ import annotations

from typing import Any

from psycopg2.extras import Json

from functions.saga.core import SagaState


def load(cur: Any, order_id: str) -> tuple[SagaState | None, int]:
    """The saga and its version (0 when there is none yet)."""
    cur.execute("SELECT state, version FROM sagas WHERE order_id = %s", (order_id,))
    row = cur.fetchone()
    if row is None:
        return None, 0
    return SagaState.from_json(row[0]), int(row[1])


def saga_started(cur: Any, order_id: str) -> bool:
    cur.execute("SELECT 1 FROM sagas WHERE order_id = %s", (order_id,))
    return cur.fetchone() is not None


def save(cur: Any, state: SagaState, version: int) -> bool:
    """Write `state` if the row is still at `version` (0: not created yet); False on conflict."""
    doc = Json(state.to_json())
    if version == 0:
        cur.execute(
            "INSERT INTO sagas (order_id, phase, version, state) VALUES (%s, %s, 1, %s)"
            " ON CONFLICT DO NOTHING",
            (state.order_id, state.phase, doc),
        )
    else:
        cur.execute(
            "UPDATE sagas SET phase = %s, state = %s, version = version + 1, updated_at = now()"
            " WHERE order_id = %s AND version = %s",
            (state.phase, doc, state.order_id, version),
        )
    return bool(cur.rowcount == 1)


def waiting(cur: Any, older_than: float, limit: int = 200) -> list[str]:
    """Orders whose saga has waited in a timed phase for more than `older_than` seconds."""
    cur.execute(
        "SELECT order_id FROM sagas WHERE phase NOT IN ('SHIPPED', 'CANCELLED', 'CONFIRMED')"
        " AND updated_at < now() - make_interval(secs => %s) ORDER BY updated_at LIMIT %s",
        (older_than, limit),
    )
    return [row[0] for row in cur.fetchall()]
