"""Who to reach: each user's email and push endpoint, kept by notifications in Redis.

Order events carry a user id but no address, so notifications keeps its own copy of the
contact data it learns from `shop.user.registered.v1` instead of reading the users' database.
"""

from __future__ import annotations

from shopfn.stores import redis_client

CONTACT_TTL = 400 * 24 * 3600  # refreshed on every registration and endpoint change


def contact_key(user_id: str) -> str:
    return f"notifications:contact:{user_id}"


def remember(user_id: str, **fields: str) -> None:
    """Store contact fields (email, name, pushEndpoint); idempotent, so safe on redelivery."""
    with redis_client().pipeline() as pipe:
        pipe.hset(contact_key(user_id), mapping=fields)
        pipe.expire(contact_key(user_id), CONTACT_TTL)
        pipe.execute()


def lookup(user_id: str, field: str) -> str | None:
    value = redis_client().hget(contact_key(user_id), field)
    return str(value) if value else None


def remember_first(user_id: str, field: str, value: str) -> str:
    """Store `field` only if the user has none yet; returns the value that is stored."""
    client = redis_client()
    with client.pipeline() as pipe:
        pipe.hsetnx(contact_key(user_id), field, value)
        pipe.hget(contact_key(user_id), field)
        pipe.expire(contact_key(user_id), CONTACT_TTL)
        _, stored, _ = pipe.execute()
    return str(stored)


def owner_key(endpoint_arn: str) -> str:
    return f"notifications:endpoint-owner:{endpoint_arn}"


def give_push_endpoint(user_id: str, endpoint_arn: str) -> None:
    """Make the endpoint `user_id`'s; a former owner (the device changed hands) loses it."""
    client = redis_client()
    former = client.getset(owner_key(endpoint_arn), user_id)
    client.expire(owner_key(endpoint_arn), CONTACT_TTL)
    if former and former != user_id:
        forget_push_endpoint(str(former), endpoint_arn)
    remember(user_id, pushEndpoint=endpoint_arn)


def forget_push_endpoint(user_id: str, endpoint_arn: str) -> None:
    """Drop the user's endpoint if it is still this one."""
    if lookup(user_id, "pushEndpoint") == endpoint_arn:
        redis_client().hdel(contact_key(user_id), "pushEndpoint")
