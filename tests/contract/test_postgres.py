"""Contract: what the order saga relies on from PostgreSQL, checked through psycopg2."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator

import psycopg2
import psycopg2.errors
import psycopg2.extensions
import pytest

pytestmark = [pytest.mark.servers("postgres"), pytest.mark.timeout(60)]

Connection = psycopg2.extensions.connection


@pytest.fixture(scope="module")
def schema(servers: dict[str, str]) -> Iterator[str]:
    """A schema of this module's own, with an `orders` table holding order 1."""
    name = f"contract_{uuid.uuid4().hex[:10]}"
    conn = psycopg2.connect(servers["SHOPFN_POSTGRES_URL"], connect_timeout=5)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE SCHEMA {name}")
            cur.execute(
                f"CREATE TABLE {name}.orders (id int PRIMARY KEY, status text NOT NULL,"
                " version int NOT NULL DEFAULT 0, data jsonb NOT NULL DEFAULT '{}')"
            )
            cur.execute(f"INSERT INTO {name}.orders (id, status) VALUES (1, 'created')")
        yield name
    finally:
        with conn.cursor() as cur:
            cur.execute(f"DROP SCHEMA {name} CASCADE")
        conn.close()


@pytest.fixture
def connect(servers: dict[str, str], schema: str) -> Iterator[Callable[[], Connection]]:
    opened: list[Connection] = []

    def open_connection() -> Connection:
        conn = psycopg2.connect(
            servers["SHOPFN_POSTGRES_URL"], connect_timeout=5, options=f"-c search_path={schema}"
        )
        opened.append(conn)
        return conn

    yield open_connection
    for conn in opened:
        conn.close()


def test_row_lock_blocks_a_second_connection(connect: Callable[[], Connection]) -> None:
    holder, waiter = connect(), connect()
    with holder.cursor() as cur:
        cur.execute("SELECT status FROM orders WHERE id = 1 FOR UPDATE")
    with waiter.cursor() as cur, pytest.raises(psycopg2.errors.LockNotAvailable):
        cur.execute("SELECT status FROM orders WHERE id = 1 FOR UPDATE NOWAIT")
    waiter.rollback()

    acquired_at: list[float] = []

    def wait_for_lock() -> None:
        with waiter.cursor() as cur:
            cur.execute("SELECT status FROM orders WHERE id = 1 FOR UPDATE")
            acquired_at.append(time.monotonic())
        waiter.commit()

    thread = threading.Thread(target=wait_for_lock)
    thread.start()
    time.sleep(0.3)
    assert acquired_at == [], "the second connection got the row while it was locked"
    released_at = time.monotonic()
    holder.commit()
    thread.join(timeout=10)
    assert len(acquired_at) == 1
    assert acquired_at[0] >= released_at


def test_rollback_discards_the_transaction(connect: Callable[[], Connection]) -> None:
    conn = connect()
    with conn.cursor() as cur:
        cur.execute("INSERT INTO orders (id, status) VALUES (2, 'created')")
        cur.execute("UPDATE orders SET status = 'paid' WHERE id = 1")
    conn.rollback()
    with pytest.raises(psycopg2.errors.UniqueViolation), conn, conn.cursor() as cur:
        cur.execute("INSERT INTO orders (id, status) VALUES (3, 'created')")
        cur.execute("INSERT INTO orders (id, status) VALUES (3, 'created')")
    with conn.cursor() as cur:
        cur.execute("SELECT id, status FROM orders ORDER BY id")
        assert cur.fetchall() == [(1, "created")]
    conn.rollback()


def test_version_column_detects_a_concurrent_update(connect: Callable[[], Connection]) -> None:
    first, second = connect(), connect()
    update = "UPDATE orders SET data = %s, version = version + 1 WHERE id = 1 AND version = %s"
    with first.cursor() as cur:
        cur.execute("SELECT version FROM orders WHERE id = 1")
        (version,) = cur.fetchone() or (None,)
    first.commit()
    with first, first.cursor() as cur:
        cur.execute(update, ('{"step": "reserved"}', version))
        assert cur.rowcount == 1
    with second, second.cursor() as cur:
        cur.execute(update, ('{"step": "stale"}', version))
        assert cur.rowcount == 0
        cur.execute("SELECT version, data->>'step' FROM orders WHERE id = 1")
        assert cur.fetchone() == (version + 1, "reserved")
