"""Circuit breakers: one per dependency and process, wrapped around the store clients.

`shopfn.stores` hands out every client through `guarded(dependency, client)`, so each call to a
store goes through its breaker without any function doing anything. After `failures` connection
errors within `window` seconds the circuit opens: calls fail at once (no connect timeout paid)
with an error of the driver's own connection-error type, so the fallbacks functions already
have (`except redis.RedisError`, `except ConnectionFailure`) keep working. After `reset` seconds
one trial call goes through (half-open); its success closes the circuit, its failure reopens it.

Only connection-level errors count (the profile of each dependency lists them): a duplicate key
or a missing document is the dependency answering, not failing.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, cast

from shopfn import logs
from shopfn.config import settings
from shopfn.metrics import circuit_rejections, circuit_state, circuit_transitions

log = logs.get_logger("shopfn.breaker")

T = TypeVar("T")
State = Literal["closed", "half-open", "open"]
STATE_VALUE: dict[State, int] = {"closed": 0, "half-open": 1, "open": 2}


class CircuitOpen(Exception):
    """A call refused because its dependency's circuit is open.

    Raised as a subclass that is also the driver's connection error (see `_open_error_type`).
    """

    dependency: str = ""
    retry_after: float = 0.0


@dataclass
class CircuitBreaker:
    """Failure counting and state for one dependency; thread-safe, per process."""

    dependency: str
    failures: int = 5
    window: float = 10.0
    reset: float = 5.0
    clock: Callable[[], float] = time.monotonic
    state: State = "closed"
    opened_at: float = 0.0
    _recent: deque[float] = field(default_factory=deque)
    _trial_running: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        circuit_state.labels(self.dependency).set(0)

    def _enter(self, state: State, **fields: Any) -> None:
        """Change state (caller holds the lock), logged and counted."""
        self.state = state
        circuit_state.labels(self.dependency).set(STATE_VALUE[state])
        circuit_transitions.labels(self.dependency, state).inc()
        level = logging.INFO if state == "closed" else logging.WARNING
        logs.log_event(log, f"circuit {state}", level, dependency=self.dependency, **fields)

    def retry_after(self) -> float:
        """Seconds until a trial call will be let through."""
        return max(0.0, self.opened_at + self.reset - self.clock())

    def allow(self) -> bool:
        """May a call go to the dependency now? Half-open lets one trial call at a time."""
        with self._lock:
            if self.state == "open":
                if self.clock() - self.opened_at < self.reset:
                    return False
                self._enter("half-open")
                self._trial_running = False
            if self.state == "half-open":
                if self._trial_running:
                    return False
                self._trial_running = True
            return True

    def record_success(self) -> None:
        with self._lock:
            self._trial_running = False
            if self.state != "closed":
                self._recent.clear()
                self._enter("closed")

    def record_failure(self, error: BaseException | None = None) -> None:
        with self._lock:
            now = self.clock()
            self._trial_running = False
            if self.state == "half-open":
                self.opened_at = now
                self._enter("open", error=str(error or ""), trial="failed")
                return
            self._recent.append(now)
            while self._recent and now - self._recent[0] > self.window:
                self._recent.popleft()
            if self.state == "closed" and len(self._recent) >= self.failures:
                self.opened_at = now
                self._enter("open", error=str(error or ""), failures=len(self._recent))

    def release(self) -> None:
        """A call that neither succeeded nor failed at the connection level (a trial ends)."""
        with self._lock:
            self._trial_running = False


@dataclass(frozen=True)
class Profile:
    """What counts as a dependency failure, what to raise when open, which results to wrap."""

    errors: tuple[type[BaseException], ...]
    open_error: type[BaseException]
    wrap: tuple[type[Any], ...] = ()


def _redis_profile() -> Profile:
    import redis

    return Profile(
        (redis.ConnectionError, redis.TimeoutError), redis.ConnectionError, (redis.Redis,)
    )


def _mongo_profile() -> Profile:
    from pymongo.collection import Collection
    from pymongo.command_cursor import CommandCursor
    from pymongo.cursor import Cursor
    from pymongo.database import Database
    from pymongo.errors import ConnectionFailure, ServerSelectionTimeoutError

    return Profile(
        (ConnectionFailure,),
        ServerSelectionTimeoutError,
        (Database, Collection, Cursor, CommandCursor),
    )


def _postgres_profile() -> Profile:
    import psycopg2

    return Profile((psycopg2.OperationalError,), psycopg2.OperationalError)


def _elasticsearch_profile() -> Profile:
    from opensearchpy import OpenSearch
    from opensearchpy.client.utils import NamespacedClient
    from opensearchpy.exceptions import ConnectionError as SearchConnectionError

    # ConnectionTimeout is a ConnectionError; an HTTP error answer is not a dependency failure.
    return Profile((SearchConnectionError,), SearchConnectionError, (OpenSearch, NamespacedClient))


def _kafka_profile() -> Profile:
    from kafka.errors import KafkaConnectionError, KafkaTimeoutError, NoBrokersAvailable
    from kafka.producer.future import FutureRecordMetadata

    return Profile(
        (KafkaConnectionError, KafkaTimeoutError, NoBrokersAvailable),
        KafkaConnectionError,
        (FutureRecordMetadata,),
    )


def _aws_profile() -> Profile:
    from botocore.exceptions import (
        ConnectTimeoutError,
        EndpointConnectionError,
        ReadTimeoutError,
    )

    return Profile(
        (EndpointConnectionError, ConnectTimeoutError, ReadTimeoutError), EndpointConnectionError
    )


_PROFILES: dict[str, Callable[[], Profile]] = {
    "redis": _redis_profile,
    "mongo": _mongo_profile,
    "postgres": _postgres_profile,
    "elasticsearch": _elasticsearch_profile,
    "kafka": _kafka_profile,
    "aws": _aws_profile,
}


@functools.cache
def profile(dependency: str) -> Profile:
    """The dependency's profile; for an unknown one, OS-level errors (refused, timed out) count."""
    factory = _PROFILES.get(dependency)
    return factory() if factory else Profile((OSError,), ConnectionError)


@functools.cache
def _open_error_type(dependency: str) -> type[CircuitOpen]:
    base = profile(dependency).open_error
    return type(f"CircuitOpen_{dependency}", (CircuitOpen, base), {})


def open_error(breaker: CircuitBreaker) -> CircuitOpen:
    """The error a refused call raises: a CircuitOpen that is also the driver's error type."""
    message = f"{breaker.dependency} unavailable (circuit open)"
    error_type = _open_error_type(breaker.dependency)
    error = error_type.__new__(error_type, message)
    try:
        # The driver's own constructor keeps its attributes (pymongo's _message) consistent.
        profile(breaker.dependency).open_error.__init__(error, message)
    except TypeError:
        Exception.__init__(error, message)
    error.dependency = breaker.dependency
    error.retry_after = breaker.retry_after()
    return error


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(dependency: str) -> CircuitBreaker:
    """This process's breaker for `dependency`, configured from SHOPFN_BREAKER_* settings."""
    with _breakers_lock:
        breaker = _breakers.get(dependency)
        if breaker is None:
            cfg = settings()
            breaker = _breakers[dependency] = CircuitBreaker(
                dependency,
                failures=int(cfg.get("BREAKER_FAILURES", "5")),
                window=float(cfg.get("BREAKER_WINDOW", "10")),
                reset=float(cfg.get("BREAKER_RESET", "5")),
            )
        return breaker


def reset_breakers() -> None:
    """Forget every breaker (tests, or after the environment changed)."""
    with _breakers_lock:
        _breakers.clear()


def breakers_status() -> dict[str, dict[str, Any]]:
    """State of every breaker of this process, for the status page."""
    with _breakers_lock:
        items = list(_breakers.items())
    return {name: {"state": b.state, "retry_after": round(b.retry_after(), 1)} for name, b in items}


def call(dependency: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run `fn(*args, **kwargs)` through `dependency`'s breaker."""
    breaker = breaker_for(dependency)
    if not breaker.allow():
        circuit_rejections.labels(dependency).inc()
        raise open_error(breaker)
    try:
        result = fn(*args, **kwargs)
    except profile(dependency).errors as exc:
        breaker.record_failure(exc)
        raise
    except BaseException:
        breaker.release()
        raise
    breaker.record_success()
    return result


class Guarded:
    """A transparent proxy: every method call on the target goes through the breaker.

    Results of the profile's `wrap` types (a pymongo Collection, a redis Pipeline, ...) are
    proxied too, so `mongo_db()["products"].find_one(...)` is guarded end to end.
    """

    __slots__ = ("_dependency", "_target")

    def __init__(self, dependency: str, target: Any) -> None:
        object.__setattr__(self, "_dependency", dependency)
        object.__setattr__(self, "_target", target)

    @property  # type: ignore[misc]
    def __class__(self) -> type[Any]:  # isinstance() sees the target's class
        return type(self._target)

    def _wrap(self, value: Any) -> Any:
        wrap = profile(self._dependency).wrap
        return Guarded(self._dependency, value) if wrap and isinstance(value, wrap) else value

    def _call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._wrap(call(self._dependency, fn, *args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        wrap = profile(self._dependency).wrap
        if wrap and isinstance(value, wrap):
            return Guarded(self._dependency, value)
        if callable(value):
            return functools.wraps(value)(functools.partial(self._call, value))
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._target, name, value)

    def __getitem__(self, key: Any) -> Any:
        return self._wrap(self._target[key])

    def __iter__(self) -> Iterator[Any]:
        iterator = call(self._dependency, iter, self._target)
        while True:
            try:
                item = call(self._dependency, next, iterator)
            except StopIteration:
                return
            yield self._wrap(item)

    def __next__(self) -> Any:
        return self._call(next, self._target)

    def __enter__(self) -> Any:
        return self._wrap(self._target.__enter__())

    def __exit__(self, *exc: Any) -> Any:
        return self._target.__exit__(*exc)

    def __repr__(self) -> str:
        return f"guarded({self._dependency!r}, {self._target!r})"


def guarded(dependency: str, target: T) -> T:
    """`target` with every call going through `dependency`'s circuit breaker."""
    return cast(T, Guarded(dependency, target))


def unwrap(value: T) -> T:
    """The object behind a `guarded` proxy (for code that needs the driver's own object)."""
    target = value._target if type(value) is Guarded else value  # type: ignore[attr-defined]
    return cast(T, target)
