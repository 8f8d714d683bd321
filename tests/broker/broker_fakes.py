"""Fakes for the broker tests: a clock that never really sleeps and a recording `deliver`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from shopfn.emulator.broker import DeliveryResult

EPOCH = 1_700_000_000.0


class FakeClock:
    """Time moves only when someone sleeps; sleeping returns at once."""

    def __init__(self, start: float = EPOCH) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds
        time.sleep(0)  # let the other threads run, as a real sleep would


@dataclass
class Call:
    subscriber: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def event_id(self) -> str:
        return self.headers["ce-id"]


Answer = Callable[[Call], DeliveryResult]


@dataclass
class Recorder:
    """A fake `deliver`: records every call, answers with the answer set per subscriber."""

    clock: FakeClock
    answers: dict[str, Answer] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, subscriber: str, headers: dict[str, str], body: bytes) -> DeliveryResult:
        call = Call(subscriber, dict(headers), body, self.clock.now())
        with self.lock:
            self.calls.append(call)
        answer = self.answers.get(subscriber)
        return answer(call) if answer else DeliveryResult(202)

    def to(self, subscriber: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.subscriber == subscriber]


def binary(
    event_id: str = "e-1",
    event_type: str = "shop.order.created.v1",
    source: str = "/shopfn/orders",
    body: bytes = b'{"orderId": "o-1"}',
    **extensions: str,
) -> dict[str, str]:
    """Binary-mode headers of a valid CloudEvent (extensions as keyword arguments)."""
    headers = {
        "ce-specversion": "1.0",
        "ce-id": event_id,
        "ce-source": source,
        "ce-type": event_type,
        "content-type": "application/json",
    }
    headers.update({f"ce-{name}": value for name, value in extensions.items()})
    return headers
