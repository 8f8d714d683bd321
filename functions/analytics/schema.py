"""The analytics keyspace: one table per query, counters keyed by time bucket.

Counter tables cannot carry a TTL in Cassandra (an increment has no single write to expire),
so they are bounded by their day partitions instead; the TTLs sit where rows are plain:
the dedupe claims (longer than any broker retry horizon) and the product names.
"""

from __future__ import annotations

CLAIM_TTL = 14 * 24 * 3600
PRODUCT_NAME_TTL = 180 * 24 * 3600
TABLES = (
    "processed_events",
    "events_by_hour",
    "events_by_type",
    "sales_by_hour",
    "product_sales_by_day",
    "product_names",
    "totals",
)


def keyspace_ddl(keyspace: str, datacenter: str, replication: int) -> str:
    return (
        f"CREATE KEYSPACE IF NOT EXISTS {keyspace} WITH replication ="
        f" {{'class': 'NetworkTopologyStrategy', '{datacenter}': {replication}}}"
    )


def tables_ddl(keyspace: str) -> list[str]:
    ks = keyspace
    return [
        # Dedupe: one claim per event, taken with IF NOT EXISTS before any counter moves.
        f"CREATE TABLE IF NOT EXISTS {ks}.processed_events ("
        " source text, event_id text, event_type text, claimed_at timestamp,"
        " PRIMARY KEY ((source, event_id)))"
        f" WITH default_time_to_live = {CLAIM_TTL}",
        # Query: how many events of each type in a time range (the summary).
        f"CREATE TABLE IF NOT EXISTS {ks}.events_by_hour ("
        " day date, hour timestamp, event_type text, events counter,"
        " PRIMARY KEY ((day), hour, event_type))"
        " WITH CLUSTERING ORDER BY (hour DESC, event_type ASC)",
        # Query: one event type's hourly series in a time range.
        f"CREATE TABLE IF NOT EXISTS {ks}.events_by_type ("
        " event_type text, day date, hour timestamp, events counter,"
        " PRIMARY KEY ((event_type, day), hour))"
        " WITH CLUSTERING ORDER BY (hour DESC)",
        # Query: sales per hour in a time range.
        f"CREATE TABLE IF NOT EXISTS {ks}.sales_by_hour ("
        " day date, hour timestamp, orders counter, items counter, revenue_cents counter,"
        " refunds counter, refund_cents counter,"
        " PRIMARY KEY ((day), hour))"
        " WITH CLUSTERING ORDER BY (hour DESC)",
        # Query: the best-selling products of a day (ranked in the reader: counters can't sort).
        f"CREATE TABLE IF NOT EXISTS {ks}.product_sales_by_day ("
        " day date, product_id text, quantity counter, revenue_cents counter,"
        " PRIMARY KEY ((day), product_id))",
        # Names for the ranking: a counter table can hold no text column.
        f"CREATE TABLE IF NOT EXISTS {ks}.product_names ("
        " product_id text PRIMARY KEY, name text)"
        f" WITH default_time_to_live = {PRODUCT_NAME_TTL}",
        # Query: all-time totals (one small partition).
        f"CREATE TABLE IF NOT EXISTS {ks}.totals ("
        " scope text PRIMARY KEY, events counter, users counter, orders counter,"
        " revenue_cents counter, refund_cents counter)",
    ]
