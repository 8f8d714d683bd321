"""Fixtures for the broker tests (fakes live in broker_fakes.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from broker_fakes import FakeClock, Recorder

from shopfn.emulator.broker import Broker, Trigger


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def recorder(clock: FakeClock) -> Recorder:
    return Recorder(clock)


@pytest.fixture
def make_broker(clock: FakeClock, recorder: Recorder) -> Iterator[Callable[..., Broker]]:
    """Build started brokers on the fake clock and recorder; all are stopped at the end."""
    brokers: list[Broker] = []

    def make(*triggers: Trigger, **options: object) -> Broker:
        broker = Broker(list(triggers), recorder, clock=clock, **options)  # type: ignore[arg-type]
        broker.start()
        brokers.append(broker)
        return broker

    yield make
    for broker in brokers:
        broker.stop()
