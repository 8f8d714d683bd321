"""Session families in Redis: one hash per login, rotated on each refresh.

A family remembers the one refresh token id (jti) that may be used next. Presenting any other
id of the family means a token was copied: the whole family is revoked, so both the thief and
the victim must log in again.
"""

from __future__ import annotations

import time
from typing import Literal

from functions.auth.tokens import new_id
from shopfn.config import settings
from shopfn.stores import redis_client

RotateOutcome = Literal["ok", "reused", "revoked", "missing", "wrong-user"]

# Atomic check-and-rotate: KEYS[1] family; ARGV presented jti, next jti, user id.
_ROTATE = """
local current = redis.call('HGET', KEYS[1], 'jti')
if not current then return 'missing' end
if redis.call('HGET', KEYS[1], 'user') ~= ARGV[3] then return 'wrong-user' end
if redis.call('HGET', KEYS[1], 'revoked') == '1' then return 'revoked' end
if current ~= ARGV[1] then
  redis.call('HSET', KEYS[1], 'revoked', '1')
  return 'reused'
end
redis.call('HSET', KEYS[1], 'jti', ARGV[2])
return 'ok'
"""
# Never create a family by revoking it: an unknown one simply stays unknown.
_REVOKE = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, 'revoked', '1') end
end
return #KEYS
"""


def family_key(family: str) -> str:
    return f"auth:family:{family}"


def user_families_key(user_id: str) -> str:
    return f"auth:user-families:{user_id}"


def start_family(user_id: str) -> tuple[str, str, int]:
    """A new family for a login: (family id, first jti, absolute expiry)."""
    family, jti = new_id(), new_id()
    expires_at = int(time.time()) + settings().refresh_token_ttl
    with redis_client().pipeline(transaction=True) as pipe:
        pipe.hset(family_key(family), mapping={"user": user_id, "jti": jti, "revoked": "0"})
        pipe.expireat(family_key(family), expires_at)
        pipe.sadd(user_families_key(user_id), family)
        pipe.expire(user_families_key(user_id), settings().refresh_token_ttl)
        pipe.execute()
    return family, jti, expires_at


def rotate(family: str, presented_jti: str, user_id: str) -> tuple[RotateOutcome, str]:
    """Move the family to a new jti if `presented_jti` is its current one."""
    next_jti = new_id()
    outcome = redis_client().eval(_ROTATE, 1, family_key(family), presented_jti, next_jti, user_id)
    return str(outcome), next_jti  # type: ignore[return-value]


def revoke_family(family: str) -> None:
    redis_client().eval(_REVOKE, 1, family_key(family))


def revoke_user(user_id: str) -> int:
    """Revoke every family of a user (deleted account, role change); how many there were."""
    client = redis_client()
    families = list(client.smembers(user_families_key(user_id)))  # type: ignore[arg-type]
    if families:
        client.eval(_REVOKE, len(families), *(family_key(f) for f in families))
    client.delete(user_families_key(user_id))
    return len(families)
