"""What every embedded server has in common: ports, processes, readiness."""

from __future__ import annotations

import contextlib
import os
import pwd
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol


class ServerError(RuntimeError):
    """A server could not be installed, started or reached."""


class Server(Protocol):
    """An embedded server the emulator and the tests start on loopback."""

    name: str
    env_var: str

    def install(self) -> None:
        """Make the server's binaries available; idempotent and cached under `.shopfn/`."""

    def start(self) -> str:
        """Start the process (without waiting for readiness); return the URL for `env_var`."""

    def wait_ready(self, timeout: float) -> None:
        """Block until the server answers, or raise ServerError."""

    def stop(self) -> None:
        """Stop the process; safe to call twice."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with reserve_port() as sock:
        return int(sock.getsockname()[1])


def reserve_port() -> socket.socket:
    """A socket bound to a free loopback port, held until the server that is to use it starts.

    While it is bound, the kernel hands that port to no other `bind(0)` and no outgoing
    connection: a port chosen minutes before its server starts (a JVM starting in the
    background) stays free in the meantime. Close it just before starting the server.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2) as sock:
        # A connection to a free port in the ephemeral range can land on itself (TCP
        # simultaneous open when the kernel picks that same port as the source): nobody listens.
        return bool(sock.getsockname() != sock.getpeername())
    return False


def http_ok(url: str, timeout: float = 1.0) -> bool:
    """Whether `url` answers 200 (a readiness probe for servers that speak HTTP)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def wait_until(
    check: Callable[[], bool], timeout: float, what: str, interval: float = 0.05
) -> None:
    """Poll `check` until it is true; raise ServerError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise ServerError(f"{what} not ready after {timeout:.0f} s")


@dataclass
class ManagedProcess:
    """A child process with its output in a log file, stopped by signal then kill."""

    argv: Sequence[str]
    log_path: Path
    env: dict[str, str] | None = None
    cwd: Path | None = None
    stop_signal: int = signal.SIGTERM
    # Run as this system user (PostgreSQL refuses root); needs root to switch.
    user: str | None = None
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False)
    _log: IO[bytes] | None = field(default=None, init=False)

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        full_env = {**os.environ, **(self.env or {})}
        group = pwd.getpwnam(self.user).pw_gid if self.user else None
        # A new session keeps Ctrl-C in the terminal from reaching the server before we stop it.
        self._proc = subprocess.Popen(
            list(self.argv),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=full_env,
            cwd=self.cwd,
            start_new_session=True,
            user=self.user,
            group=group,
            extra_groups=[] if self.user else None,
        )

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def stop(self, timeout: float = 10.0) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(self.stop_signal)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class ProcessServer:
    """A server that is one child process on one loopback port; a restart keeps the port.

    Subclasses set `name` and `env_var` and implement `url` and `process`; they may override
    `prepare` (runs before each start: create the data dir, initdb), `answers` (the readiness
    probe, a TCP connect by default) and `after_ready` (create a database, verify a sender).
    Constructor convention shared by every server module: `(data_dir, port=None)`.
    """

    name: str = ""
    env_var: str = ""

    def __init__(self, data_dir: Path, port: int | None = None) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        self._process: ManagedProcess | None = None

    @property
    def log_path(self) -> Path:
        return self.data_dir / f"{self.name}.log"

    def install(self) -> None:
        """Nothing to install by default: the binary ships with a Python package."""

    def url(self) -> str:
        raise NotImplementedError

    def process(self) -> ManagedProcess:
        raise NotImplementedError

    def prepare(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)

    def answers(self) -> bool:
        return port_open(self.port)

    def after_ready(self) -> None:
        """Runs once the server answers, after every start."""

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.running

    @property
    def pid_path(self) -> Path:
        return self.data_dir / f"{self.name}.pid"

    def start(self) -> str:
        if self.running:
            return self.url()
        self.prepare()
        process = self.process()
        markers = (f":{self.port}", str(self.data_dir))
        stop_leftover(self.pid_path, process.argv, process.stop_signal, markers)
        if port_open(self.port):
            raise ServerError(f"{self.name}: port {self.port} is already taken by another process")
        process.start()
        self._process = process
        self.pid_path.write_text(f"{process.pid}\n")
        return self.url()

    def wait_ready(self, timeout: float) -> None:
        proc = self._process
        if proc is None:
            raise ServerError(f"{self.name} was not started")

        def ready() -> bool:
            if not proc.running:
                raise ServerError(f"{self.name} exited; log {proc.log_path}:\n{proc.log_tail()}")
            return self.answers()

        try:
            wait_until(ready, timeout, self.name)
        except ServerError as error:
            if proc.running:
                raise ServerError(f"{error}; log {proc.log_path}:\n{proc.log_tail()}") from None
            raise
        self.after_ready()

    def stop(self) -> None:
        proc, self._process = self._process, None
        if proc is not None:
            proc.stop()
            self.pid_path.unlink(missing_ok=True)


def process_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def stop_leftover(
    pid_path: Path, argv: Sequence[str], stop_signal: int, markers: Sequence[str]
) -> None:
    """Stop the server a previous run left behind (it died without stopping its children).

    Only the process named in `pid_path` that runs `argv[0]` with either exactly `argv` or a
    command line holding one of `markers` (its port or data dir: the port of a restart may
    differ, and Redis rewrites its process title) is touched.
    """
    try:
        pid = int(pid_path.read_text())
        executable = os.readlink(f"/proc/{pid}/exe")
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except (OSError, ValueError):
        pid_path.unlink(missing_ok=True)
        return
    same_command = cmdline.split("\0")[:-1] == list(argv)
    if executable == os.path.realpath(argv[0]) and (
        same_command or any(marker in cmdline for marker in markers)
    ):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, stop_signal)
        wait_until(lambda: not process_alive(pid), 15, f"leftover process {pid} to exit")
    pid_path.unlink(missing_ok=True)
