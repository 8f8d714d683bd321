"""The analytics store on Cassandra: claims, counter increments and the per-query reads.

Consistency: counter writes and claims at LOCAL_QUORUM (claims are LWTs, serial LOCAL_SERIAL);
dashboard reads at LOCAL_ONE (a count a moment behind is fine). Retries: the driver's default
RetryPolicy, which never retries a timed-out counter write (an increment is not idempotent);
reads are marked idempotent so they may be retried.

Dedupe (counters double count on redelivery): `claim` inserts the event's id IF NOT EXISTS
before any counter moves. A redelivery finds the claim and counts nothing. If the increments
then fail in a way that proves nothing was written (no host, Unavailable) the claim is removed
and the error raised, so the broker's retry counts the event. If the outcome is unknown (a
write timeout, a crash) the claim stays: the event may be under-counted once, never twice.
"""

from __future__ import annotations

import functools
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from functions.analytics.buckets import days_in, hour_of, utc
from functions.analytics.facts import Facts
from functions.analytics.schema import TABLES, keyspace_ddl, tables_ddl
from shopfn.config import settings
from shopfn.stores import cassandra_session

TOTALS_SCOPE = "all"
DDL_TIMEOUT = 60.0  # schema changes wait for agreement: slower than any query
_schema_lock = threading.Lock()


@dataclass(frozen=True)
class HourSales:
    hour: datetime
    orders: int
    items: int
    revenue_cents: int
    refunds: int
    refund_cents: int


@dataclass(frozen=True)
class ProductSales:
    product_id: str
    name: str
    quantity: int
    revenue_cents: int


def surely_not_written(error: BaseException) -> bool:
    """True when Cassandra proves the write never happened: safe to undo the claim."""
    from cassandra import Unavailable
    from cassandra.cluster import NoHostAvailable
    from cassandra.connection import ConnectionException

    if isinstance(error, NoHostAvailable):
        return all(surely_not_written(e) for e in error.errors.values()) or not error.errors
    return isinstance(error, Unavailable | ConnectionException | ConnectionRefusedError)


class AnalyticsStore:
    """Cassandra-shaped operations: each read hits the one table made for it."""

    def __init__(self, session: Any, keyspace: str) -> None:
        from cassandra import ConsistencyLevel

        self.session = session
        ks = keyspace

        def write(cql: str, idempotent: bool = False) -> Any:
            statement = session.prepare(cql)
            statement.consistency_level = ConsistencyLevel.LOCAL_QUORUM
            statement.is_idempotent = idempotent
            return statement

        def read(cql: str) -> Any:
            statement = session.prepare(cql)
            statement.consistency_level = ConsistencyLevel.LOCAL_ONE
            statement.is_idempotent = True
            return statement

        self._claim = write(
            f"INSERT INTO {ks}.processed_events (source, event_id, event_type, claimed_at)"
            " VALUES (?, ?, ?, toTimestamp(now())) IF NOT EXISTS",
        )
        self._release = write(
            f"DELETE FROM {ks}.processed_events WHERE source = ? AND event_id = ? IF EXISTS",
        )
        for lwt in (self._claim, self._release):
            lwt.serial_consistency_level = ConsistencyLevel.LOCAL_SERIAL
        self._count_event = write(
            f"UPDATE {ks}.events_by_hour SET events = events + 1"
            " WHERE day = ? AND hour = ? AND event_type = ?",
        )
        self._count_type = write(
            f"UPDATE {ks}.events_by_type SET events = events + 1"
            " WHERE event_type = ? AND day = ? AND hour = ?",
        )
        self._count_sale = write(
            f"UPDATE {ks}.sales_by_hour SET orders = orders + ?, items = items + ?,"
            " revenue_cents = revenue_cents + ?, refunds = refunds + ?,"
            " refund_cents = refund_cents + ? WHERE day = ? AND hour = ?",
        )
        self._count_product = write(
            f"UPDATE {ks}.product_sales_by_day SET quantity = quantity + ?,"
            " revenue_cents = revenue_cents + ? WHERE day = ? AND product_id = ?",
        )
        self._count_totals = write(
            f"UPDATE {ks}.totals SET events = events + 1, users = users + ?,"
            " orders = orders + ?, revenue_cents = revenue_cents + ?,"
            " refund_cents = refund_cents + ? WHERE scope = ?",
        )
        self._name_product = write(
            f"INSERT INTO {ks}.product_names (product_id, name) VALUES (?, ?)", True
        )
        self._read_events = read(
            f"SELECT hour, event_type, events FROM {ks}.events_by_hour"
            " WHERE day = ? AND hour >= ? AND hour < ?",
        )
        self._read_type = read(
            f"SELECT hour, events FROM {ks}.events_by_type"
            " WHERE event_type = ? AND day = ? AND hour >= ? AND hour < ?",
        )
        self._read_sales = read(
            f"SELECT hour, orders, items, revenue_cents, refunds, refund_cents"
            f" FROM {ks}.sales_by_hour WHERE day = ? AND hour >= ? AND hour < ?",
        )
        self._read_products = read(
            f"SELECT product_id, quantity, revenue_cents FROM {ks}.product_sales_by_day"
            " WHERE day = ?",
        )
        self._read_names = read(
            f"SELECT product_id, name FROM {ks}.product_names WHERE product_id IN ?"
        )
        self._read_totals = read(
            f"SELECT events, users, orders, revenue_cents, refund_cents FROM {ks}.totals"
            " WHERE scope = ?",
        )

    # --- writes ---------------------------------------------------------------------------

    def claim(self, source: str, event_id: str, event_type: str) -> bool:
        """Take the event's dedupe claim; False when it was counted (or claimed) before."""
        return bool(self.session.execute(self._claim, (source, event_id, event_type)).was_applied)

    def release(self, source: str, event_id: str) -> None:
        self.session.execute(self._release, (source, event_id))

    def add(self, facts: Facts) -> None:
        """Apply one event's increments in a single counter batch."""
        from cassandra.query import BatchStatement, BatchType

        batch = BatchStatement(batch_type=BatchType.COUNTER)
        batch.consistency_level = self._count_event.consistency_level
        day, hour = facts.day, facts.hour
        batch.add(self._count_event, (day, hour, facts.event_type))
        batch.add(self._count_type, (facts.event_type, day, hour))
        batch.add(
            self._count_totals,
            (facts.users, facts.orders, facts.revenue_cents, facts.refund_cents, TOTALS_SCOPE),
        )
        if facts.is_sale:
            batch.add(
                self._count_sale,
                (
                    facts.orders,
                    facts.items,
                    facts.revenue_cents,
                    facts.refunds,
                    facts.refund_cents,
                    day,
                    hour,
                ),
            )
        for line in facts.products:
            batch.add(
                self._count_product, (line.quantity, line.revenue_cents, day, line.product_id)
            )
        self.session.execute(batch)
        for line in facts.products:
            if line.name:
                self.session.execute(self._name_product, (line.product_id, line.name))

    def record(self, source: str, event_id: str, facts: Facts) -> bool:
        """Count an event once: claim, then increment. False for a redelivery."""
        if not self.claim(source, event_id, facts.event_type):
            return False
        try:
            self.add(facts)
        except Exception as error:
            if surely_not_written(error):
                self.release(source, event_id)
            raise
        return True

    # --- reads ----------------------------------------------------------------------------

    def _per_day(self, statement: Any, start: datetime, end: datetime, *prefix: Any) -> list[Any]:
        """One read per day partition of [start, end), run concurrently; rows oldest day first."""
        # A bucket is counted whole when the range starts inside it.
        start = hour_of(start)
        futures = [
            self.session.execute_async(statement, (*prefix, day, start, end))
            for day in days_in(start, end)
        ]
        return [row for future in futures for row in future.result()]

    def events_by_type(self, start: datetime, end: datetime) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for row in self._per_day(self._read_events, start, end):
            counts[row.event_type] += row.events
        return dict(sorted(counts.items()))

    def type_series(
        self, event_type: str, start: datetime, end: datetime
    ) -> list[tuple[datetime, int]]:
        rows = self._per_day(self._read_type, start, end, event_type)
        return sorted((utc(row.hour), row.events) for row in rows)

    def sales_per_hour(self, start: datetime, end: datetime) -> list[HourSales]:
        rows = self._per_day(self._read_sales, start, end)
        return sorted(
            (
                HourSales(
                    utc(row.hour),
                    row.orders or 0,
                    row.items or 0,
                    row.revenue_cents or 0,
                    row.refunds or 0,
                    row.refund_cents or 0,
                )
                for row in rows
            ),
            key=lambda sales: sales.hour,
        )

    def top_products(self, days: list[date], limit: int) -> list[ProductSales]:
        quantity: dict[str, int] = defaultdict(int)
        revenue: dict[str, int] = defaultdict(int)
        futures = [self.session.execute_async(self._read_products, (day,)) for day in days]
        for future in futures:
            for row in future.result():
                quantity[row.product_id] += row.quantity or 0
                revenue[row.product_id] += row.revenue_cents or 0
        ranked = sorted(quantity, key=lambda p: (-quantity[p], -revenue[p], p))[:limit]
        names = {}
        if ranked:
            names = {
                row.product_id: row.name
                for row in self.session.execute(self._read_names, (ranked,))
            }
        return [ProductSales(p, names.get(p, ""), quantity[p], revenue[p]) for p in ranked]

    def totals(self) -> dict[str, int]:
        row = self.session.execute(self._read_totals, (TOTALS_SCOPE,)).one()
        fields = ("events", "users", "orders", "revenue_cents", "refund_cents")
        return {field: (getattr(row, field) or 0) if row else 0 for field in fields}


def ensure_schema(session: Any, keyspace: str) -> None:
    """Create the keyspace and tables if missing (idempotent; the DDL waits for agreement)."""
    known = session.cluster.metadata.keyspaces.get(keyspace)
    if known is not None and set(TABLES) <= set(known.tables):
        return  # a cold start skips eight round trips of DDL when the schema is there
    cfg = settings()
    session.execute(
        keyspace_ddl(
            keyspace,
            cfg.get("CASSANDRA_DC", "datacenter1"),
            int(cfg.get("CASSANDRA_REPLICATION", "1")),
        ),
        timeout=DDL_TIMEOUT,
    )
    for ddl in tables_ddl(keyspace):
        session.execute(ddl, timeout=DDL_TIMEOUT)


def analytics_store() -> AnalyticsStore:
    """The process's store: connects, creates the schema once, prepares the statements.

    Raises while Cassandra is not up; nothing is cached then, so the next call tries again.
    """
    return _store_for(cassandra_session())


@functools.cache
def _store_for(session: Any) -> AnalyticsStore:
    # Keyed by session: after `reset_clients()` a new session gets its own prepared statements.
    with _schema_lock:
        keyspace = settings().cassandra_keyspace
        ensure_schema(session, keyspace)
        return AnalyticsStore(session, keyspace)
