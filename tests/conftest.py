"""Real servers for the test session, started once on free ports under a temp dir.

A test asks for them through the `servers` fixture (env var -> URL) or `embedded_servers`
(the EmbeddedServers object, to stop and restart one server). Which servers start is decided
from the collected tests: `@pytest.mark.servers("postgres", "redis")` names them; a test that
uses the fixture without naming any gets every server but Cassandra, which starts only when
named (it starts in the background; a module or test marked for it waits until it answers).
A server whose env var (SHOPFN_*_URL, CASSANDRA_HOSTS) is already set is used as it is.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from shopfn.servers import BACKGROUND, ENV_VARS, SERVER_NAMES, EmbeddedServers

SERVER_FIXTURES = frozenset({"servers", "embedded_servers"})
DEFAULT_SERVERS = tuple(name for name in SERVER_NAMES if name != "cassandra")
SESSION_SERVERS = pytest.StashKey[EmbeddedServers]()
BACKGROUND_READY_TIMEOUT = 300.0


def needed_servers(items: list[pytest.Item]) -> list[str]:
    """The servers the collected tests ask for, in registry order."""
    wanted: set[str] = set()
    for item in items:
        if not SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            continue
        named = [name for mark in item.iter_markers("servers") for name in mark.args]
        wanted.update(named or DEFAULT_SERVERS)
    return [name for name in SERVER_NAMES if name in wanted]


def forget_clients() -> None:
    """Drop cached settings and store clients so they see the servers' env vars."""
    for module_name, function_name in (
        ("shopfn.config", "reload"),
        ("shopfn.stores", "reset_clients"),
    ):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        function = getattr(module, function_name, None)
        if callable(function):
            function()


@contextlib.contextmanager
def server_temp_dir() -> Iterator[Path]:
    """A temp dir for server data, removed afterwards.

    Not under pytest's tmp_path: PostgreSQL runs as an unprivileged user that must traverse the
    path, and every pytest session that starts (anyone's, on this shared machine) resets
    /tmp/pytest-of-root to mode 0700.
    """
    path = Path(tempfile.mkdtemp(prefix="shopfn-servers-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def servers_tmp_path() -> Iterator[Path]:
    """Like tmp_path, for tests that start servers of their own."""
    with server_temp_dir() as path:
        yield path


@pytest.fixture(scope="session")
def embedded_servers(request: pytest.FixtureRequest) -> Iterator[EmbeddedServers]:
    names = needed_servers(request.session.items)
    saved = {var: os.environ.get(var) for var in ENV_VARS.values()}
    with contextlib.ExitStack() as cleanup:
        root = cleanup.enter_context(server_temp_dir())
        embedded = EmbeddedServers(root, names, log=lambda line: print(line, flush=True))
        cleanup.callback(restore_environment, saved)
        cleanup.callback(embedded.stop)
        os.environ.update(embedded.start())
        forget_clients()
        request.session.stash[SESSION_SERVERS] = embedded
        yield embedded
        del request.session.stash[SESSION_SERVERS]


def restore_environment(saved: dict[str, str | None]) -> None:
    for var, value in saved.items():
        if value is None:
            os.environ.pop(var, None)
        else:
            os.environ[var] = value
    forget_clients()


def wait_for_background(embedded: EmbeddedServers, node: pytest.Item | pytest.Module) -> None:
    """Wait for the background servers (JVMs) `node`'s `servers` marks name.

    Their env vars are set as soon as they are launched, so a test that finds the variable and
    takes the server for an external one would otherwise connect before it answers.
    """
    named = {name for mark in node.iter_markers("servers") for name in mark.args}
    for name in sorted(named & BACKGROUND & set(embedded.names)):
        embedded.wait_ready(name, BACKGROUND_READY_TIMEOUT)


@pytest.fixture(scope="module", autouse=True)
def background_servers_ready(request: pytest.FixtureRequest) -> None:
    """A module marked for a background server waits for it before its own module fixtures
    (autouse fixtures come first in their scope), which may already need the server."""
    module = request.node
    if isinstance(module, pytest.Module) and BACKGROUND & {
        name for mark in module.iter_markers("servers") for name in mark.args
    }:
        wait_for_background(request.getfixturevalue("embedded_servers"), module)


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test marked (itself) for a background server waits for it too."""
    embedded = item.session.stash.get(SESSION_SERVERS, None)
    if embedded is not None:
        wait_for_background(embedded, item)


@pytest.fixture(scope="session")
def servers(embedded_servers: EmbeddedServers) -> dict[str, str]:
    """Env var -> URL of every server this session uses (also set in os.environ)."""
    variables = (ENV_VARS[name] for name in embedded_servers.names)
    return {var: os.environ[var] for var in variables if var in os.environ}
