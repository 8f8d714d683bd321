"""Rate limits against a real Redis: the burst limit, the refill, one bucket for two processes.

The Redis here is this module's own (a stopped-and-restarted server must not disturb others).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from shopfn import breaker, config, ratelimit, stores
from shopfn.emulator.processes import functions_framework_argv
from shopfn.metrics import REGISTRY
from shopfn.servers.base import ManagedProcess, free_port, wait_until
from shopfn.servers.redis import RedisServer

pytestmark = [pytest.mark.servers, pytest.mark.timeout(120)]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = RedisServer(tmp_path_factory.mktemp("redis"), free_port())
    server.install()
    url = server.start()
    server.wait_ready(20)
    yield url
    server.stop()


@pytest.fixture
def limiter_env(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """This process's settings point at the module's Redis; clients and breakers are fresh."""
    monkeypatch.setenv("SHOPFN_REDIS_URL", redis_url)
    # The e2e session switches limits off for its shared gateway; these tests need them on.
    monkeypatch.delenv("SHOPFN_RATELIMIT", raising=False)
    config.reload()
    stores.reset_clients()
    breaker.reset_breakers()
    stores.redis_client().flushdb()
    yield redis_url
    monkeypatch.undo()
    config.reload()
    stores.reset_clients()
    breaker.reset_breakers()


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_parse_rate_reads_the_usual_notations() -> None:
    assert ratelimit.parse_rate("100/min") == ratelimit.Rate(100, 60)
    assert ratelimit.parse_rate("5/s") == ratelimit.Rate(5, 1)
    assert ratelimit.parse_rate("1000 / hour") == ratelimit.Rate(1000, 3600)
    assert ratelimit.parse_rate("30/10s") == ratelimit.Rate(30, 10)
    assert ratelimit.parse_rate("off") is None
    with pytest.raises(ValueError):
        ratelimit.parse_rate("lots")


def test_group_rates_come_from_defaults_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    config.reload()
    assert ratelimit.rate_for("users") == ratelimit.Rate(100, 60)
    assert ratelimit.rate_for("products") == ratelimit.Rate(500, 60)
    assert ratelimit.rate_for("orders") == ratelimit.Rate(200, 60)
    monkeypatch.setenv("SHOPFN_RATELIMIT_PRODUCTS", "1000/min")
    monkeypatch.setenv("SHOPFN_RATELIMIT_AUTH", "off")
    config.reload()
    assert ratelimit.rate_for("products") == ratelimit.Rate(1000, 60)
    assert ratelimit.rate_for("auth") is None
    monkeypatch.setenv("SHOPFN_RATELIMIT", "off")
    config.reload()
    assert ratelimit.rate_for("products") is None  # the switch for load tests and test sessions
    monkeypatch.undo()
    config.reload()


def test_a_burst_is_refused_exactly_at_the_limit(limiter_env: str) -> None:
    rate = ratelimit.Rate(200, 3600)  # refill during the burst stays far below one token
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda _: ratelimit.take("burst", "c1", rate), range(300)))
    allowed = sum(d.allowed for d in results)
    assert abs(allowed - rate.limit) <= 0.05 * rate.limit
    assert allowed == rate.limit  # the Lua script is atomic: no over-admission at all
    refused = [d for d in results if not d.allowed]
    assert refused and all(d.remaining == 0 for d in refused)
    # A token comes back every 18 s at 200/hour: that is what a refused client is told.
    assert all(17 <= d.retry_after <= 18.01 for d in refused)
    assert refused[0].headers()["Retry-After"] == "18"
    assert refused[0].headers()["RateLimit-Policy"] == '"burst";q=200;w=3600'


def test_the_bucket_refills_at_its_rate(limiter_env: str) -> None:
    rate = ratelimit.Rate(10, 1)
    first = [ratelimit.take("refill", "c2", rate) for _ in range(12)]
    assert [d.allowed for d in first] == [True] * 10 + [False] * 2
    assert 0 < first[-1].retry_after <= 0.1 + 1e-6
    time.sleep(0.5)  # 10/s for 0.5 s: five tokens back, no more
    second = [ratelimit.take("refill", "c2", rate).allowed for _ in range(8)]
    assert sum(second) in (5, 6)  # 6 only if the calls themselves took 0.1 s
    assert second[:5] == [True] * 5
    # Other clients and other groups have buckets of their own.
    assert ratelimit.take("refill", "someone-else", rate).allowed
    assert ratelimit.take("other-group", "c2", rate).allowed


def test_an_unreachable_redis_fails_open_logged_and_counted(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("SHOPFN_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setenv("SHOPFN_CONNECT_TIMEOUT", "0.5")
    config.reload()
    stores.reset_clients()
    breaker.reset_breakers()
    before = _sample("shopfn_ratelimit_decisions_total", group="users", decision="fail-open")
    monkeypatch.setattr(ratelimit, "_last_warning", [0.0])
    try:
        with caplog.at_level(logging.WARNING, logger="shopfn.ratelimit"):
            assert ratelimit.check("users", "ip:10.0.0.1") is None
        assert "failing open" in caplog.text
        after = _sample("shopfn_ratelimit_decisions_total", group="users", decision="fail-open")
        assert after == before + 1
    finally:
        monkeypatch.undo()
        config.reload()
        stores.reset_clients()
        breaker.reset_breakers()


def _function_process(name: str, env: dict[str, str], log_dir: Path) -> tuple[ManagedProcess, str]:
    port = free_port()
    proc = ManagedProcess(
        functions_framework_argv(name, port), log_dir / f"{name}-{port}.log", env=env
    )
    proc.start()
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        assert proc.running, proc.log_tail()
        try:
            return requests.get(f"{url}/healthz", timeout=0.5).status_code == 200
        except requests.RequestException:
            return False

    wait_until(healthy, 30, name)
    return proc, url


def test_two_function_processes_share_one_bucket(limiter_env: str, tmp_path: Path) -> None:
    """Two replicas of catalog-get (two pods on a cluster) draw from the same bucket."""
    limit = 40
    env = {
        "SHOPFN_REDIS_URL": limiter_env,
        "SHOPFN_RATELIMIT_PRODUCTS": f"{limit}/hour",
        "SHOPFN_MONGO_URL": "",
        "SHOPFN_LOG_LEVEL": "WARNING",
    }
    replicas = [_function_process("catalog-get", env, tmp_path) for _ in range(2)]
    try:
        urls = [url for _, url in replicas]
        client = {"X-Forwarded-For": "203.0.113.7"}

        def hit(i: int) -> requests.Response:
            return requests.get(f"{urls[i % 2]}/api/products/p-{i}", headers=client, timeout=10)

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(hit, range(70)))
        refused = [a for a in answers if a.status_code == 429]
        per_replica = [
            sum(1 for i, a in enumerate(answers) if i % 2 == r and a.status_code != 429)
            for r in (0, 1)
        ]
        assert len(answers) - len(refused) == limit, [a.status_code for a in answers]
        assert all(n > 0 for n in per_replica)  # both replicas admitted some: one shared bucket
        # Every answer tells the client where it stands, admitted or not.
        assert all(a.headers["RateLimit-Policy"] == f'"products";q={limit};w=3600' for a in answers)
        remaining = sorted(
            int(a.headers["RateLimit"].split("r=")[1].split(";")[0])
            for a in answers
            if a.status_code != 429
        )
        assert remaining == list(range(limit))  # each admitted request took exactly one token
        sample = refused[0]
        assert sample.headers["Content-Type"] == "application/problem+json"
        assert sample.json()["type"].endswith("/rate-limited")
        assert int(sample.headers["Retry-After"]) == math.ceil(3600 / limit)
        assert sample.headers["RateLimit-Policy"] == f'"products";q={limit};w=3600'
        assert sample.headers["RateLimit"].startswith('"products";r=0;t=')
        # Another client is not affected by this one's empty bucket.
        other = requests.get(
            f"{urls[0]}/api/products/x", headers={"X-Forwarded-For": "198.51.100.1"}, timeout=10
        )
        assert other.status_code != 429
    finally:
        for proc, _ in replicas:
            proc.stop()
