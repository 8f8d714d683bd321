"""Isolated mode: each function its own functions-framework process, from and to zero.

A process starts on its function's first request or event (a real cold start, measured) and
stops after it has been idle for `idle_timeout` seconds.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import requests

from shopfn.servers.base import ManagedProcess, ServerError, free_port, wait_until

ENTRY = Path(__file__).resolve().parents[1] / "entry.py"


def functions_framework_argv(name: str, port: int) -> list[str]:
    """The command a Knative Service runs too, with the target chosen per function."""
    binary = Path(sys.executable).parent / "functions-framework"
    return [
        str(binary),
        "--source",
        str(ENTRY),
        "--target",
        name,
        "--signature-type",
        "http",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]


@dataclass
class FunctionProcess:
    name: str
    port: int
    process: ManagedProcess
    started_at: float
    cold_start_ms: float = 0.0
    last_used: float = field(default_factory=time.monotonic)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class FunctionProcesses:
    """Starts, tracks and reaps one functions-framework process per function."""

    def __init__(
        self,
        env: Mapping[str, str],
        log_dir: Path,
        idle_timeout: float = 60.0,
        start_timeout: float = 30.0,
        log: Callable[[str], None] = print,
    ) -> None:
        self._env = dict(env)
        self._log_dir = log_dir
        self._idle_timeout = idle_timeout
        self._start_timeout = start_timeout
        self._say = log
        self._procs: dict[str, FunctionProcess] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._stop = threading.Event()
        self._reaper = threading.Thread(target=self._reap, name="shopfn-reaper", daemon=True)
        self.cold_starts: list[tuple[str, float]] = []

    def start(self) -> None:
        self._reaper.start()

    def _lock_for(self, name: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(name, threading.Lock())

    def url_for(self, name: str) -> str:
        """The base URL of `name`'s process, starting it first when it is down."""
        with self._lock_for(name):
            proc = self._procs.get(name)
            if proc is None or not proc.process.running:
                proc = self._spawn(name)
            proc.last_used = time.monotonic()
            return proc.url

    def _spawn(self, name: str) -> FunctionProcess:
        port = free_port()
        env = {**self._env, "SHOPFN_FUNCTION": name, "FUNCTION_TARGET": name, "PORT": str(port)}
        managed = ManagedProcess(
            functions_framework_argv(name, port), self._log_dir / f"{name}.log", env=env
        )
        began = time.perf_counter()
        managed.start()
        proc = FunctionProcess(name, port, managed, started_at=time.time())

        def healthy() -> bool:
            if not managed.running:
                raise ServerError(f"{name} exited while starting:\n{managed.log_tail()}")
            try:
                return requests.get(f"{proc.url}/healthz", timeout=0.5).status_code == 200
            except requests.RequestException:
                return False

        try:
            wait_until(healthy, self._start_timeout, f"function {name}", interval=0.02)
        except ServerError:
            managed.stop()
            raise
        proc.cold_start_ms = (time.perf_counter() - began) * 1000
        self.cold_starts.append((name, proc.cold_start_ms))
        self._procs[name] = proc
        self._say(f"  ↑ {name} started (cold start {proc.cold_start_ms:.0f} ms)")
        return proc

    def _reap(self) -> None:
        while not self._stop.wait(min(1.0, self._idle_timeout / 4)):
            now = time.monotonic()
            for name, proc in list(self._procs.items()):
                lock = self._lock_for(name)
                if now - proc.last_used > self._idle_timeout and lock.acquire(blocking=False):
                    try:
                        if self._procs.get(name) is proc:
                            proc.process.stop()
                            del self._procs[name]
                            self._say(
                                f"  ↓ {name} scaled to zero after {self._idle_timeout:g} s idle"
                            )
                    finally:
                        lock.release()

    def status(self) -> dict[str, dict[str, object]]:
        return {
            name: {
                "state": "up" if proc.process.running else "down",
                "pid": proc.process.pid,
                "port": proc.port,
                "cold_start_ms": round(proc.cold_start_ms, 1),
                "idle_s": round(time.monotonic() - proc.last_used, 1),
            }
            for name, proc in self._procs.items()
        }

    def stop(self) -> None:
        self._stop.set()
        for proc in list(self._procs.values()):
            proc.process.stop()
        self._procs.clear()


def base_env(gateway_url: str) -> dict[str, str]:
    """What every isolated function process gets: this environment plus its event sink."""
    return {**os.environ, "K_SINK": f"{gateway_url}/_broker"}
