"""The emulator on a free port, for end-to-end tests over HTTP through its gateway."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from shopfn import bootstrap, registry
from shopfn.emulator.gateway import Emulator
from shopfn.emulator.serve import apply_env, serving
from shopfn.security import Principal, issue_access_token
from shopfn.servers import BACKGROUND, SERVER_NAMES, EmbeddedServers
from shopfn.servers.base import free_port

ADMIN_EMAIL = "admin@shopfn.test"
ADMIN_PASSWORD = "admin-password-for-tests"


@dataclass
class Gateway:
    """The running emulator: its URL, its emulator object and a session."""

    url: str
    emulator: Emulator
    http: requests.Session

    def token(self, role: str = "user", user_id: str = "u-test") -> str:
        return issue_access_token(Principal(user_id=user_id, role=role))  # type: ignore[arg-type]

    def auth(self, role: str = "user", user_id: str = "u-test") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, user_id)}"}

    def drain(self, timeout: float = 10.0) -> None:
        """Wait until the broker has delivered everything queued so far."""
        assert self.emulator.broker.drain(timeout), "broker did not drain in time"


def _start(isolate: bool) -> Iterator[Gateway]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    emulator = Emulator(
        registry.discover(), isolate=isolate, gateway_url=url, idle_timeout=5.0, log=lambda _: None
    )
    with serving(emulator, port), requests.Session() as session:
        yield Gateway(url, emulator, session)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # End to end means every store, Cassandra included: analytics consumes every event.
    for item in items:
        if "platform" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.servers(*SERVER_NAMES))


@pytest.fixture(scope="session")
def platform(servers: dict[str, str], embedded_servers: EmbeddedServers) -> None:
    """Servers up (the JVMs too), test secrets set, migrations and setup done."""
    for name in sorted(BACKGROUND & set(embedded_servers.names)):
        embedded_servers.wait_ready(name, 240)
    os.environ.setdefault("SHOPFN_JWT_SECRET", "test-secret-" + "x" * 40)
    # Every anonymous test call comes from 127.0.0.1: one shared bucket would refuse them.
    # The edge tests switch limits back on for themselves.
    os.environ.setdefault("SHOPFN_RATELIMIT", "off")
    os.environ.setdefault("SHOPFN_ADMIN_EMAIL", ADMIN_EMAIL)
    os.environ.setdefault("SHOPFN_ADMIN_PASSWORD", ADMIN_PASSWORD)
    apply_env({})
    bootstrap.run(lambda _: None)


@pytest.fixture(scope="session")
def gateway(platform: None) -> Iterator[Gateway]:
    """The emulator in in-process mode."""
    yield from _start(isolate=False)


@pytest.fixture(scope="session")
def isolated_gateway(platform: None) -> Iterator[Gateway]:
    """The emulator in isolated mode: a functions-framework process per function."""
    yield from _start(isolate=True)
