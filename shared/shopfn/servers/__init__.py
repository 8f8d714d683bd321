"""The real servers `make dev` and the tests start by themselves, on loopback.

    servers = EmbeddedServers(root, ["postgres", "redis"])
    env = servers.start()          # {"SHOPFN_POSTGRES_URL": "postgresql://...", ...}
    ...
    servers.stop()

A server whose environment variable is already set is external: it is neither started nor
stopped, and its URL is passed through. Cassandra starts in the background: `start()` returns
without it and `wait_ready("cassandra", timeout)` waits for it.
"""

from __future__ import annotations

import importlib
import os
import socket
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from types import TracebackType

from shopfn.servers.base import Server, ServerError, reserve_port

__all__ = ["ENV_VARS", "SERVER_NAMES", "EmbeddedServers", "Server", "ServerError"]

ENV_VARS: dict[str, str] = {
    "postgres": "SHOPFN_POSTGRES_URL",
    "redis": "SHOPFN_REDIS_URL",
    "mongo": "SHOPFN_MONGO_URL",
    "kafka": "SHOPFN_KAFKA_URL",
    "elasticsearch": "SHOPFN_ELASTICSEARCH_URL",
    "aws": "SHOPFN_AWS_URL",
    "cassandra": "CASSANDRA_HOSTS",
}
SERVER_NAMES: tuple[str, ...] = tuple(ENV_VARS)

# name -> (module, class); imported only when the server is used.
SERVER_CLASSES: dict[str, tuple[str, str]] = {
    "postgres": ("shopfn.servers.postgres", "PostgresServer"),
    "redis": ("shopfn.servers.redis", "RedisServer"),
    "mongo": ("shopfn.servers.mongo", "MongoServer"),
    "kafka": ("shopfn.servers.noida", "KafkaServer"),
    "elasticsearch": ("shopfn.servers.opensearch", "OpenSearchServer"),
    "aws": ("shopfn.servers.aws", "AwsServer"),
    "cassandra": ("shopfn.servers.cassandra", "CassandraServer"),
}
# JVMs too slow to hold up the others (10-40 s): the platform answers while they come up,
# search from MongoDB until its engine is there.
BACKGROUND: frozenset[str] = frozenset({"cassandra", "elasticsearch"})
BACKGROUND_READY_TIMEOUT = 300.0

ServerFactory = Callable[[Path, int], Server]


def server_factory(name: str) -> ServerFactory | None:
    """The class for `name`, or None when its module is not written yet."""
    module_name, class_name = SERVER_CLASSES[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        if error.name == module_name:
            return None
        raise
    factory: ServerFactory = getattr(module, class_name)
    return factory


class EmbeddedServers:
    def __init__(
        self,
        root: Path,
        names: Sequence[str] | None = None,
        log: Callable[[str], None] = print,
        ports: dict[str, int] | None = None,
        ready_timeout: float = 60.0,
    ) -> None:
        unknown = sorted(set(names or ()) - set(SERVER_NAMES))
        if unknown:
            raise ValueError(f"unknown servers {unknown}; known: {', '.join(SERVER_NAMES)}")
        self.root = root
        self.names = list(names) if names is not None else list(SERVER_NAMES)
        self.log = log
        self.ports = dict(ports or {})
        self.ready_timeout = ready_timeout
        self._servers: dict[str, Server] = {}
        # Ports chosen here, held until their server starts (see reserve_port).
        self._reserved: dict[str, socket.socket] = {}
        self._background: dict[str, Future[str]] = {}
        self._stopping = threading.Event()

    # -- which servers -------------------------------------------------------------------

    def is_external(self, name: str) -> bool:
        return bool(os.environ.get(ENV_VARS[name]))

    def server(self, name: str) -> Server | None:
        """The managed server for `name`, created on first use; None if external or missing."""
        if name in self._servers:
            return self._servers[name]
        if self.is_external(name):
            return None
        factory = server_factory(name)
        if factory is None:
            self.log(f"  {name:<14} skipped: {SERVER_CLASSES[name][0]} does not exist yet")
            return None
        if name not in self.ports:
            reserved = self._reserved[name] = reserve_port()
            self.ports[name] = int(reserved.getsockname()[1])
        server = factory(self.root / name, self.ports[name])
        self._servers[name] = server
        return server

    def _managed(self, names: Sequence[str]) -> list[tuple[str, Server]]:
        managed = ((name, self.server(name)) for name in names)
        return [(name, server) for name, server in managed if server is not None]

    # -- lifecycle ------------------------------------------------------------------------

    def install(self) -> None:
        """Install every managed server's binaries (quiet when they are there already)."""
        for name, server in self._managed(self.names):
            self._install(name, server)

    def _install(self, name: str, server: Server) -> None:
        # Installs are instant once done; say so only when one is really happening.
        notice = threading.Timer(
            2.0, self.log, [f"  {name:<14} installing (first run only; may take minutes)"]
        )
        notice.daemon = True
        notice.start()
        try:
            server.install()
        finally:
            notice.cancel()

    def start(self) -> dict[str, str]:
        """Start the servers, wait for all but the background ones; return env var -> URL."""
        self._stopping.clear()
        urls = {ENV_VARS[n]: os.environ[ENV_VARS[n]] for n in self.names if self.is_external(n)}
        for name in self.names:
            if self.is_external(name):
                self.log(f"  {name:<14} external: {os.environ[ENV_VARS[name]]}")
        managed = self._managed(self.names)
        foreground = [(n, s) for n, s in managed if n not in BACKGROUND]
        if foreground:
            self.log(f"starting {', '.join(n for n, _ in foreground)} (data in {self.root})")
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=max(len(foreground), 1)) as pool:
            futures = {name: pool.submit(self._bring_up, name, s) for name, s in foreground}
        failures = {name: f.exception() for name, f in futures.items() if f.exception()}
        if failures:
            self.stop()
            details = "\n".join(f"{name}: {error}" for name, error in failures.items())
            raise ServerError(f"servers failed to start:\n{details}")
        urls.update({ENV_VARS[name]: f.result() for name, f in futures.items()})
        if foreground:
            self.log(f"servers ready in {time.monotonic() - started:.1f} s")
        # Launched after the others are up, not before: on two cores a JVM starting up would
        # slow down everything the developer is waiting for.
        for name, server in managed:
            if name in BACKGROUND:
                urls[ENV_VARS[name]] = f"127.0.0.1:{self.ports[name]}"
                self._background[name] = self._in_background(name, server)
                self.log(f"  {name:<14} starting in the background on 127.0.0.1:{self.ports[name]}")
        return urls

    def _bring_up(self, name: str, server: Server) -> str:
        started = time.monotonic()
        self._install(name, server)
        if self._stopping.is_set():
            raise ServerError(f"{name}: stopped before it started")
        self._release_port(name)
        url = server.start()
        # A JVM on a busy two-core machine can take minutes; nobody waits on it in the meantime.
        server.wait_ready(BACKGROUND_READY_TIMEOUT if name in BACKGROUND else self.ready_timeout)
        self.log(f"  {name:<14} {url}  ({time.monotonic() - started:.1f} s)")
        return url

    def _in_background(self, name: str, server: Server) -> Future[str]:
        future: Future[str] = Future()

        def run() -> None:
            try:
                future.set_result(self._bring_up(name, server))
            except BaseException as error:
                future.set_exception(error)
                if not self._stopping.is_set():
                    self.log(f"  {name:<14} FAILED: {error}")

        threading.Thread(target=run, name=f"start-{name}", daemon=True).start()
        return future

    def wait_ready(self, name: str, timeout: float) -> None:
        """Block until `name` answers (for background servers: until its start finished)."""
        if name in self._background:
            try:
                self._background[name].result(timeout)
            except FutureTimeout:
                raise ServerError(f"{name} not ready after {timeout:.0f} s") from None
            return
        server = self.server(name)
        if server is not None:
            server.wait_ready(timeout)

    def stop(self) -> None:
        """Stop every server this object started; safe to call twice."""
        self._stopping.set()
        servers = list(self._servers.values())
        if servers:
            with ThreadPoolExecutor(max_workers=len(servers)) as pool:
                for future in [pool.submit(server.stop) for server in servers]:
                    future.result()
        self._background.clear()
        for name in list(self._reserved):
            self._release_port(name)

    def _release_port(self, name: str) -> None:
        reserved = self._reserved.pop(name, None)
        if reserved is not None:
            reserved.close()

    def stop_one(self, name: str) -> None:
        server = self.server(name)
        if server is None:
            raise ServerError(f"{name} is not managed here (external or unavailable)")
        server.stop()
        self.log(f"  {name:<14} stopped")

    def start_one(self, name: str) -> str:
        """Start `name` again on the same port (and data) and wait until it answers."""
        server = self.server(name)
        if server is None:
            raise ServerError(f"{name} is not managed here (external or unavailable)")
        self._stopping.clear()
        self._background.pop(name, None)
        return self._bring_up(name, server)

    def __enter__(self) -> EmbeddedServers:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
