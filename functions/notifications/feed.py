"""The per-user feed in Redis: newest first, capped, with read marks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from cloudevents.http import CloudEvent

from shopfn import jsonio
from shopfn.idempotency import redis_once
from shopfn.stores import redis_client

FEED_CAP = 100
FEED_TTL = 90 * 24 * 3600


def feed_key(user_id: str) -> str:
    return f"notifications:feed:{user_id}"


def read_key(user_id: str) -> str:
    return f"notifications:read:{user_id}"


def add_once(consumer: str, event: CloudEvent, user_id: str, title: str, body: str) -> bool:
    """Put one notification on the feed, once per event; False for a redelivery."""
    item = {
        "id": str(event["id"]),
        "type": str(event["type"]),
        "title": title,
        "message": body,
        "createdAt": datetime.now(UTC).replace(microsecond=0),
    }

    def effect(pipe: Any) -> None:
        pipe.lpush(feed_key(user_id), jsonio.dumps(item))
        pipe.ltrim(feed_key(user_id), 0, FEED_CAP - 1)
        pipe.expire(feed_key(user_id), FEED_TTL)

    return redis_once(consumer, event, effect)


def read_feed(
    user_id: str, limit: int, *, unread_only: bool = False
) -> tuple[list[dict[str, Any]], int]:
    """(newest `limit` items with their read flag, unread count over the whole feed)."""
    client = redis_client()
    with client.pipeline(transaction=False) as pipe:
        pipe.lrange(feed_key(user_id), 0, FEED_CAP - 1)
        pipe.smembers(read_key(user_id))
        raw, read_ids = pipe.execute()
    items = [json.loads(entry) for entry in raw]
    for item in items:
        item["read"] = item["id"] in read_ids
    unread = sum(1 for item in items if not item["read"])
    if unread_only:
        items = [item for item in items if not item["read"]]
    return items[:limit], unread


def _feed_ids(user_id: str) -> list[str]:
    raw = redis_client().lrange(feed_key(user_id), 0, FEED_CAP - 1)
    return [str(json.loads(entry)["id"]) for entry in raw]


def mark_read(user_id: str, notification_id: str) -> bool:
    """Mark one notification read; False when it is not on the user's feed."""
    if notification_id not in _feed_ids(user_id):
        return False
    with redis_client().pipeline() as pipe:
        pipe.sadd(read_key(user_id), notification_id)
        pipe.expire(read_key(user_id), FEED_TTL)
        pipe.execute()
    return True


def mark_all_read(user_id: str) -> int:
    """Mark every notification on the feed read; returns how many were unread."""
    ids = _feed_ids(user_id)
    client = redis_client()
    unread = len(set(ids) - set(client.smembers(read_key(user_id))))
    # Rewritten, not added to: ids that fell off the capped feed leave the read set too.
    with client.pipeline() as pipe:
        pipe.delete(read_key(user_id))
        if ids:
            pipe.sadd(read_key(user_id), *ids)
            pipe.expire(read_key(user_id), FEED_TTL)
        pipe.execute()
    return unread
