"""Login throttling against password guessing: failures counted per account and per client.

Counting only failures (and clearing the account's count on success) lets a real user in after
a typo, while a guesser hits the wall after a few tries whatever address it comes from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from shopfn.config import settings
from shopfn.errors import ApiError
from shopfn.stores import redis_client


@dataclass(frozen=True)
class ThrottlePolicy:
    per_account: int = 5
    per_client: int = 50
    window: int = 900  # seconds

    @classmethod
    def from_settings(cls) -> ThrottlePolicy:
        cfg = settings()
        return cls(
            per_account=int(cfg.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", "5")),
            per_client=int(cfg.get("LOGIN_MAX_FAILURES_PER_CLIENT", "50")),
            window=int(cfg.get("LOGIN_FAILURE_WINDOW", "900")),
        )


def account_key(email: str) -> str:
    # Hashed: the key space should not be a list of e-mail addresses.
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return f"auth:fail:account:{digest}"


def client_key(client: str) -> str:
    return f"auth:fail:client:{client or 'unknown'}"


def blocked_by(counts: tuple[int, int], policy: ThrottlePolicy) -> str | None:
    """Which limit the failure counts (account, client) have reached, if any."""
    account, client = counts
    if account >= policy.per_account:
        return "account"
    if client >= policy.per_client:
        return "client"
    return None


def check(email: str, client: str, policy: ThrottlePolicy) -> None:
    """Refuse with 429 before any password is checked when a limit is reached."""
    keys = (account_key(email), client_key(client))
    values = redis_client().mget(keys)
    counts = (int(values[0] or 0), int(values[1] or 0))
    which = blocked_by(counts, policy)
    if which is not None:
        ttl = max(int(redis_client().ttl(keys[0 if which == "account" else 1])), 1)
        raise ApiError(
            429,
            f"too many failed logins for this {which}; try again in {ttl} s",
            code="login-throttled",
            headers={"Retry-After": str(ttl)},
        )


def record_failure(email: str, client: str, policy: ThrottlePolicy) -> None:
    with redis_client().pipeline(transaction=True) as pipe:
        for key in (account_key(email), client_key(client)):
            pipe.incr(key)
            pipe.expire(key, policy.window, nx=True)
        pipe.execute()


def record_success(email: str) -> None:
    redis_client().delete(account_key(email))
