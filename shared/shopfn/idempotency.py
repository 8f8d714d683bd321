"""Idempotent consumers: an event's effect happens once per (consumer, source, id).

The dedupe record lives in the store where the effect lands, written in the same transaction,
so a crash between effect and acknowledgement cannot make the redelivery act twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cloudevents.http import CloudEvent

DEFAULT_TTL = 7 * 24 * 3600  # longer than any broker's retry horizon


def dedupe_key(consumer: str, event: CloudEvent) -> str:
    return f"processed:{consumer}:{event['source']}:{event['id']}"


def claim_pg(cursor: Any, consumer: str, event: CloudEvent) -> bool:
    """Record the event inside the caller's PostgreSQL transaction; False if it was seen before.

    Call it first in the transaction that makes the effect: a rollback forgets the claim too.
    """
    cursor.execute(
        "INSERT INTO processed_events (consumer, source, event_id) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (consumer, event["source"], event["id"]),
    )
    return bool(cursor.rowcount == 1)


def redis_once(
    consumer: str,
    event: CloudEvent,
    effect: Callable[[Any], None],
    ttl: int = DEFAULT_TTL,
) -> bool:
    """Queue `effect`'s Redis commands on a MULTI pipeline with the dedupe marker.

    `effect(pipe)` only queues commands; they run atomically with the marker. Returns False
    (and runs nothing) when the event was already processed by this consumer.
    """
    import redis

    from shopfn.stores import redis_client

    key = dedupe_key(consumer, event)
    with redis_client().pipeline() as pipe:
        while True:
            try:
                pipe.watch(key)  # type: ignore[no-untyped-call]
                if pipe.exists(key):
                    return False
                pipe.multi()
                effect(pipe)
                pipe.set(key, "1", ex=ttl)
                pipe.execute()
                return True
            except redis.WatchError:
                continue


def redis_claim(name: str, ttl: int = DEFAULT_TTL) -> bool:
    """Claim a one-off side effect outside Redis (an email, a push) by name; False if taken.

    The claim is taken before the effect: a crash in between loses that one effect rather than
    repeating it, which is the right trade for messages a person reads.
    """
    from shopfn.stores import redis_client

    return bool(redis_client().set(name, "1", nx=True, ex=ttl))
