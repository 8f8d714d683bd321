"""Rate limits: a token bucket per client and route group, kept in Redis by one Lua script.

Every HTTP function names its route group in its registration (`@http(..., limit="products")`);
one without `limit=` is not limited.
The group's rate comes from `SHOPFN_RATELIMIT_<GROUP>` (e.g. `1000/min`), else `DEFAULT_LIMITS`,
else `SHOPFN_RATELIMIT_DEFAULT`. `SHOPFN_RATELIMIT_<GROUP>=off` (or `SHOPFN_RATELIMIT=off`) turns
limiting off. The bucket holds `limit` tokens and refills continuously at `limit / period`; the
script reads Redis's clock, so every process of every function shares one bucket and one time.

When Redis cannot be reached the limiter fails open: the request goes through, a warning is
logged and `shopfn_ratelimit_decisions_total{decision="fail-open"}` counts it.

Headers follow draft-ietf-httpapi-ratelimit-headers-11 (`RateLimit-Policy` and `RateLimit`,
Structured Fields with q/w and r/t), plus `Retry-After` on a 429.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import time
from dataclasses import dataclass
from typing import Any

from shopfn import breaker, logs
from shopfn.config import settings
from shopfn.metrics import ratelimit_decisions

log = logs.get_logger("shopfn.ratelimit")

DEFAULT_LIMITS: dict[str, str] = {
    "users": "100/min",
    "products": "500/min",
    "orders": "200/min",
    "search": "500/min",  # read-heavy like products
}
FALLBACK_LIMIT = "100/min"
KEY_PREFIX = "shopfn:ratelimit"
_PERIODS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")
_OFF = {"off", "none", "0", "unlimited", "false"}

# Atomic take-one: refill by elapsed time on Redis's clock, take `cost` if there is enough.
# Returns {allowed, tokens left, seconds until `cost` is available, seconds until full} as
# strings, because Redis truncates Lua numbers to integers.
TOKEN_BUCKET_LUA = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local allowed = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens),
  'ts', string.format('%.6f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 1000)
local wait = 0
if allowed == 0 then
  wait = (cost - tokens) / rate
end
return {allowed, string.format('%.6f', tokens), string.format('%.6f', wait),
  string.format('%.6f', (capacity - tokens) / rate)}
"""


@dataclass(frozen=True)
class Rate:
    """`limit` requests per `period` seconds."""

    limit: int
    period: int

    @property
    def per_second(self) -> float:
        return self.limit / self.period


def parse_rate(text: str) -> Rate | None:
    """`100/min`, `5/s`, `1000/hour`, `30/10s` -> Rate; `off` -> None (no limit)."""
    if text.strip().lower() in _OFF:
        return None
    match = _RATE.match(text.lower())
    if not match or match.group(3) not in _PERIODS or int(match.group(1)) <= 0:
        raise ValueError(f"rate {text!r} is not like 100/min, 5/s or 1000/hour")
    period = int(match.group(2) or 1) * _PERIODS[match.group(3)]
    return Rate(int(match.group(1)), period)


def rate_for(group: str) -> Rate | None:
    """The group's rate from the environment, else its default; None when limiting is off."""
    cfg = settings()
    if cfg.get("RATELIMIT").strip().lower() in _OFF - {"0"}:
        return None
    configured = cfg.get(f"RATELIMIT_{group.upper().replace('-', '_')}")
    return parse_rate(
        configured or DEFAULT_LIMITS.get(group) or cfg.get("RATELIMIT_DEFAULT") or FALLBACK_LIMIT
    )


@dataclass(frozen=True)
class Decision:
    """One rate-limit answer, and the headers that tell the client about it."""

    allowed: bool
    group: str
    rate: Rate
    remaining: int
    retry_after: float
    reset: float

    def headers(self) -> dict[str, str]:
        policy = f'"{self.group}";q={self.rate.limit};w={self.rate.period}'
        headers = {
            "RateLimit-Policy": policy,
            "RateLimit": f'"{self.group}";r={self.remaining};t={math.ceil(self.reset)}',
        }
        if not self.allowed:
            headers["Retry-After"] = str(max(1, math.ceil(self.retry_after)))
        return headers


def bucket_key(group: str, client: str) -> str:
    return f"{KEY_PREFIX}:{group}:{client}"


@functools.cache
def _script(client_id: int) -> Any:
    from shopfn.stores import redis_client

    # Registered on the driver's own client: the call below goes through the breaker itself.
    return breaker.unwrap(redis_client()).register_script(TOKEN_BUCKET_LUA)


def take(group: str, client: str, rate: Rate, cost: int = 1) -> Decision:
    """Take `cost` tokens from `client`'s bucket of `group`. Raises on a Redis failure."""
    from shopfn.stores import redis_client

    script = _script(id(breaker.unwrap(redis_client())))
    allowed, tokens, wait, reset = breaker.call(
        "redis",
        script,
        keys=[bucket_key(group, client)],
        args=[rate.limit, repr(rate.per_second), cost],
    )
    return Decision(
        allowed=bool(int(allowed)),
        group=group,
        rate=rate,
        remaining=max(0, math.floor(float(tokens))),
        retry_after=float(wait),
        reset=float(reset),
    )


_last_warning = [0.0]
WARNING_INTERVAL = 5.0  # seconds; the counter counts every request, the log says it now and then


def _warn_now() -> bool:
    now = time.monotonic()
    if now - _last_warning[0] < WARNING_INTERVAL:
        return False
    _last_warning[0] = now
    return True


def check(group: str, client: str) -> Decision | None:
    """The decision for one request; None when the group is unlimited or Redis is unreachable."""
    rate = rate_for(group)
    if rate is None or not settings().redis_url:
        return None
    try:
        decision = take(group, client, rate)
    except Exception as exc:
        # Failing open: an unreachable Redis must not take the whole shop down with it.
        ratelimit_decisions.labels(group, "fail-open").inc()
        if _warn_now():
            logs.log_event(
                log, "rate limiter failing open", logging.WARNING, group=group, error=str(exc)
            )
        return None
    ratelimit_decisions.labels(group, "allowed" if decision.allowed else "refused").inc()
    return decision
