"""Run the emulator: servers up, environment set, setup done, gateway listening."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from waitress import wasyncore
from waitress.server import BaseWSGIServer, create_server

from shopfn import bootstrap, config, registry, stores
from shopfn.emulator.gateway import Emulator
from shopfn.registry import FunctionSpec

if TYPE_CHECKING:
    from shopfn.servers import EmbeddedServers

# Fixed ports in dev so a warm start finds its data where it left it.
DEV_PORTS = {
    "postgres": 15432,
    "redis": 16379,
    "mongo": 27018,
    "kafka": 19092,
    "elasticsearch": 19200,
    "aws": 15005,
    "cassandra": 19042,
}


def apply_env(env: dict[str, str]) -> None:
    """Point this process (and the function processes it starts) at `env`'s servers."""
    os.environ.update(env)
    config.reload()
    stores.reset_clients()


# The gateway's WSGI server: waitress, in this process, beside the broker's threads. A forking
# server (gunicorn) would give each worker its own in-process broker, status page and traces.
# A request waiting on a store holds a thread, so there are more than cores; with --isolate a
# proxied function may call back (POST /_broker) while its caller holds one.
GATEWAY_THREADS = 32
# Each keep-alive client holds a connection: load tests open hundreds (waitress's default: 100).
GATEWAY_CONNECTIONS = 2000


@contextmanager
def serving(emulator: Emulator, port: int, host: str = "127.0.0.1") -> Iterator[BaseWSGIServer]:
    """The gateway on `host:port` in a background thread, for as long as the block runs."""
    server = create_server(
        emulator.app,
        host=host,
        port=port,
        threads=GATEWAY_THREADS,
        connection_limit=GATEWAY_CONNECTIONS,
        ident="shopfn",
        # X-Forwarded-For reaches the app as it did: shopfn.web reads the client from it, as
        # behind the cluster's ingress.
        clear_untrusted_proxy_headers=False,
    )
    assert isinstance(server, BaseWSGIServer)  # one listening socket, not a MultiSocketServer
    thread = threading.Thread(target=server.run, name="shopfn-gateway", daemon=True)
    emulator.start()
    thread.start()
    try:
        yield server
    finally:
        try:
            _stop(server, thread)
        finally:
            emulator.stop()


def _stop(server: BaseWSGIServer, thread: threading.Thread) -> None:
    """Close every socket from inside the server's loop (the one thread that owns them).

    The loop ends when its map is empty; then the worker threads finish what they hold.
    """
    loop: Any = server  # the stubs type `trigger` as an int and omit `_map`
    try:
        loop.trigger.pull_trigger(lambda: wasyncore.close_all(loop._map, ignore_all=True))
    except OSError:
        # The trigger's pipe is already closed: the loop has ended; close what is left here.
        wasyncore.close_all(loop._map, ignore_all=True)
    thread.join(timeout=5)
    server.task_dispatcher.shutdown(timeout=5)


def _discover_into(result: Future[dict[str, FunctionSpec]]) -> None:
    try:
        result.set_result(registry.discover())
    except BaseException as exc:  # handed to the waiting thread, which raises it
        result.set_exception(exc)


def _set_up_again_when_ready(embedded: EmbeddedServers, say: Callable[[str], None]) -> None:
    """Once the servers started in the background answer, run the domains' setups again.

    They are idempotent; the ones that found their server away at start (the search index)
    do their work now.
    """
    from shopfn.servers import BACKGROUND, ServerError

    try:
        for name in sorted(BACKGROUND & set(embedded.names)):
            embedded.wait_ready(name, 300)
        bootstrap.run(lambda _: None)
    except ServerError as error:  # already reported by EmbeddedServers
        say(f"  late setup skipped: {error}")
        return
    say("  set up again with every server up")


def run_dev(
    *,
    root: Path,
    port: int = 8080,
    isolate: bool = False,
    idle_timeout: float = 60.0,
    servers: list[str] | None = None,
    kafka: bool = False,
    say: Callable[[str], None] = print,
) -> int:
    """`shopfn dev`: everything up until Ctrl-C, then everything down."""
    from shopfn.servers import EmbeddedServers

    began = time.perf_counter()
    root.mkdir(parents=True, exist_ok=True)
    say(f"shopfn dev — data under {root}")
    embedded = EmbeddedServers(root, servers, log=say, ports=DEV_PORTS)
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    # Importing every function takes seconds; it needs no server, so it runs while they start.
    discovered: Future[dict[str, FunctionSpec]] = Future()
    threading.Thread(target=_discover_into, args=(discovered,), daemon=True).start()
    try:
        embedded.install()
        apply_env(embedded.start())
        specs = discovered.result()
        say(f"  {len(specs)} functions registered")
        bootstrap.run(lambda line: say(f"  {line}"))
        threading.Thread(
            target=_set_up_again_when_ready, args=(embedded, say), name="late-setup", daemon=True
        ).start()
        gateway_url = f"http://127.0.0.1:{port}"
        emulator = Emulator(
            specs,
            isolate=isolate,
            gateway_url=gateway_url,
            idle_timeout=idle_timeout,
            log_dir=root / "logs",
            log=say,
            kafka=kafka,
        )
        with serving(emulator, port):
            elapsed = time.perf_counter() - began
            say(f"ready in {elapsed:.1f} s: {gateway_url}  (status: {gateway_url}/_shopfn)")
            say("Ctrl-C stops everything")
            stop.wait()
        say("stopping…")
    finally:
        embedded.stop()
    say("stopped")
    return 0
