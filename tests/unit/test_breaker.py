"""Circuit breakers: the state machine on a fake clock, the guarded proxy, a real dead Redis."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
import redis

from shopfn import breaker, config, stores
from shopfn.breaker import CircuitBreaker, CircuitOpen, guarded
from shopfn.metrics import REGISTRY
from shopfn.servers.base import free_port


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture(autouse=True)
def fresh_breakers() -> Iterator[None]:
    breaker.reset_breakers()
    yield
    breaker.reset_breakers()


def test_opens_after_failures_within_the_window_and_closes_after_a_good_trial(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    cb = CircuitBreaker("unit-dep", failures=3, window=10, reset=5, clock=clock)
    opened_before = _sample("shopfn_circuit_transitions_total", dependency="unit-dep", state="open")
    with caplog.at_level(logging.INFO, logger="shopfn.breaker"):
        cb.record_failure()
        clock.now += 20  # the first failure falls out of the window
        cb.record_failure()
        cb.record_failure()
        assert cb.state == "closed" and cb.allow()
        cb.record_failure()
        assert cb.state == "open"
        assert not cb.allow()
        assert cb.retry_after() == pytest.approx(5)
        clock.now += 5
        assert cb.allow()  # the trial call
        assert cb.state == "half-open"
        assert not cb.allow()  # only one trial at a time
        cb.record_success()
        assert cb.state == "closed" and cb.allow()
    assert "circuit open" in caplog.text and "circuit closed" in caplog.text
    opened = _sample("shopfn_circuit_transitions_total", dependency="unit-dep", state="open")
    assert opened == opened_before + 1
    assert _sample("shopfn_circuit_state", dependency="unit-dep") == 0


def test_a_failed_trial_reopens_for_another_reset_period() -> None:
    clock = FakeClock()
    cb = CircuitBreaker("unit-dep-2", failures=1, window=10, reset=5, clock=clock)
    cb.record_failure()
    clock.now += 6
    assert cb.allow()
    cb.record_failure()
    assert cb.state == "open"
    assert _sample("shopfn_circuit_state", dependency="unit-dep-2") == 2
    clock.now += 4
    assert not cb.allow()


class Flaky:
    """A dependency client double: fails with ConnectionError while `down`."""

    def __init__(self) -> None:
        self.down = False
        self.calls = 0

    def get(self, key: str) -> str:
        self.calls += 1
        if self.down:
            raise ConnectionError("refused")
        return key.upper()

    def missing(self) -> None:
        raise KeyError("not a connection problem")


def test_guarded_calls_go_through_the_breaker_and_fail_fast_when_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHOPFN_BREAKER_FAILURES", "2")
    monkeypatch.setenv("SHOPFN_BREAKER_RESET", "60")
    config.reload()
    try:
        target = Flaky()
        client = guarded("flaky", target)
        assert isinstance(client, Flaky)
        assert client.get("a") == "A"
        for _ in range(5):
            with pytest.raises(KeyError):  # answers that are not outages do not count
                client.missing()
        assert breaker.breaker_for("flaky").state == "closed"
        target.down = True
        for _ in range(2):
            with pytest.raises(ConnectionError):
                client.get("b")
        calls = target.calls
        with pytest.raises(CircuitOpen) as refused:
            client.get("c")
        assert target.calls == calls  # refused without touching the dependency
        assert isinstance(refused.value, ConnectionError)  # callers' fallbacks still match
        assert refused.value.retry_after > 0
        assert breaker.breakers_status()["flaky"]["state"] == "open"
    finally:
        monkeypatch.undo()
        config.reload()


def test_a_dead_redis_opens_its_circuit_and_refusals_are_redis_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHOPFN_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setenv("SHOPFN_BREAKER_FAILURES", "3")
    config.reload()
    stores.reset_clients()
    try:
        client = stores.redis_client()
        assert isinstance(client, redis.Redis)
        for _ in range(3):
            with pytest.raises(redis.ConnectionError):
                client.get("k")
        rejected = _sample("shopfn_circuit_rejections_total", dependency="redis")
        started = time.perf_counter()
        with pytest.raises(redis.RedisError) as refused:
            client.pipeline().get("k").execute()
        assert time.perf_counter() - started < 0.05
        assert isinstance(refused.value, CircuitOpen)
        assert _sample("shopfn_circuit_rejections_total", dependency="redis") == rejected + 1
    finally:
        monkeypatch.undo()
        config.reload()
        stores.reset_clients()
