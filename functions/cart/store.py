"""Carts in Redis: one hash per user (field: product id, value: the item as JSON), with a TTL
refreshed on every change, so abandoned carts expire by themselves."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from shopfn.config import settings
from shopfn.stores import redis_client

DEFAULT_TTL = 7 * 24 * 3600
DEFAULT_CURRENCY = "USD"


def cart_key(user_id: str) -> str:
    return f"cart:{user_id}"


def ttl() -> int:
    return int(settings().get("CART_TTL") or DEFAULT_TTL)


def currency() -> str:
    return settings().get("CURRENCY") or DEFAULT_CURRENCY


def items(user_id: str) -> list[dict[str, Any]]:
    raw = redis_client().hgetall(cart_key(user_id))
    return sorted((json.loads(v) for v in raw.values()), key=lambda i: str(i["productId"]))


def item(user_id: str, product_id: str) -> dict[str, Any] | None:
    raw = redis_client().hget(cart_key(user_id), product_id)
    return json.loads(raw) if raw else None


def put(user_id: str, entry: dict[str, Any]) -> None:
    key = cart_key(user_id)
    with redis_client().pipeline() as pipe:  # MULTI: the item and the TTL together
        pipe.hset(key, entry["productId"], json.dumps(entry))
        pipe.expire(key, ttl())
        pipe.execute()


def remove(user_id: str, product_id: str) -> bool:
    return bool(redis_client().hdel(cart_key(user_id), product_id))


def clear(user_id: str) -> None:
    redis_client().delete(cart_key(user_id))


def view(user_id: str, entries: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The cart as clients see it, with line totals and the total."""
    lines = []
    total = Decimal(0)
    for entry in items(user_id) if entries is None else entries:
        line = Decimal(str(entry["unitPrice"])) * int(entry["quantity"])
        total += line
        lines.append({**entry, "lineTotal": float(line)})
    return {
        "userId": user_id,
        "items": lines,
        "itemCount": sum(int(e["quantity"]) for e in lines),
        "total": float(total),
        "currency": currency(),
    }


def checkout_lock(user_id: str, seconds: int = 15) -> bool:
    """One checkout per cart at a time (a double click must not place two orders)."""
    return bool(redis_client().set(f"{cart_key(user_id)}:checkout", "1", nx=True, ex=seconds))


def checkout_unlock(user_id: str) -> None:
    redis_client().delete(f"{cart_key(user_id)}:checkout")
