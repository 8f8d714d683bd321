"""What the benchmarks share: servers, a load generator, timing, and the one results table."""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import requests

from shopfn import registry
from shopfn.emulator.serve import apply_env
from shopfn.registry import FunctionSpec
from shopfn.servers import BACKGROUND, EmbeddedServers
from shopfn.servers.base import ManagedProcess, wait_until

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]
# Cassandra is left out: only analytics needs it, and its JVM would skew every other figure.
BENCH_SERVERS = ("postgres", "redis", "mongo", "kafka", "elasticsearch", "aws")


@dataclass
class Row:
    """One line of the table: a measure, its value, the baseline and their ratio."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    note: str = ""

    @property
    def ratio(self) -> str:
        if not self.baseline:
            return ""
        return f"{self.value / self.baseline:.2f}x"


@dataclass
class Context:
    """Servers started once for every benchmark of a run."""

    env: dict[str, str]
    workdir: Path


@contextmanager
def context() -> Iterator[Context]:
    workdir = Path(tempfile.mkdtemp(prefix="shopfn-bench-"))
    os.environ.setdefault("SHOPFN_JWT_SECRET", "bench-secret-" + "x" * 40)
    os.environ.setdefault("SHOPFN_LOG_LEVEL", "WARNING")
    # The load comes from one address: the limiter would measure itself, not the function.
    os.environ.setdefault("SHOPFN_RATELIMIT", "off")
    embedded = EmbeddedServers(
        workdir / "servers", BENCH_SERVERS, log=lambda line: print(line, flush=True)
    )
    try:
        embedded.install()
        env = embedded.start()
        for name in sorted(BACKGROUND & set(BENCH_SERVERS)):
            embedded.wait_ready(name, 300)  # a benchmark measures the platform fully up
        apply_env(env)
        yield Context(env=env, workdir=workdir)
    finally:
        embedded.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: list[float]) -> float:
    return statistics.median(values)


def ensure_wrk() -> str:
    """wrk from Debian's packages: a C load generator, so the client is not the bottleneck."""
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-q"], check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk") or "wrk"


_WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %d %d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.timeout, summary.requests))
end
"""


def wrk(
    url: str, seconds: int = 10, connections: int = 16, threads: int = 2
) -> tuple[float, float]:
    """(requests per second, p95 latency in ms) of GET `url`; fails on any error answer."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(_WRK_REPORT)
    out = subprocess.run(
        [
            ensure_wrk(),
            "-t",
            str(threads),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    ).stdout
    script.unlink()
    line = next(row for row in out.splitlines() if row.startswith("RESULT"))
    _, rps, p95, errors, total = line.split()
    if int(errors):
        raise RuntimeError(f"{errors} of {total} requests to {url} failed:\n{out}")
    return float(rps), float(p95)


def start_function(
    argv: list[str], port: int, ready_path: str, log: Path, env: dict[str, str] | None = None
) -> tuple[ManagedProcess, float]:
    """Start a function process; return it and the ms from spawn to its first 200."""
    proc = ManagedProcess(argv, log, env=env)
    began = time.perf_counter()
    proc.start()

    def ready() -> bool:
        try:
            return (
                requests.get(f"http://127.0.0.1:{port}{ready_path}", timeout=1).status_code == 200
            )
        except requests.RequestException:
            return False

    wait_until(ready, 60, " ".join(argv[:3]), interval=0.005)
    return proc, (time.perf_counter() - began) * 1000


def print_table(rows: list[Row], out: Callable[[str], None] = print) -> None:
    out("")
    out(f"| {'measure':<52} | {'value':>12} | {'baseline':>12} | {'ratio':>7} | note")
    out(f"|{'-' * 54}|{'-' * 14}|{'-' * 14}|{'-' * 9}|------")
    for row in rows:
        base = f"{row.baseline:,.1f} {row.unit}" if row.baseline else ""
        out(
            f"| {row.name:<52} | {row.value:>9,.1f} {row.unit:<2} | {base:>12} | "
            f"{row.ratio:>7} | {row.note}"
        )


def functions_where(keep: Callable[[str], bool]) -> dict[str, FunctionSpec]:
    """The registry's functions whose domain `keep` accepts: what a benchmark's emulator runs."""
    return {name: spec for name, spec in registry.discover().items() if keep(spec.domain)}


def in_own_process(target: Callable[..., T], *args: Any) -> T:
    """`target(*args)` in a spawned process, its result sent back.

    A client does not share the server's interpreter: in the emulator's process its own work
    (requests, JSON parsing, polling) held the GIL the server needed, and was measured as the
    server's latency. `target` must be importable (a module-level function).
    """
    spawn = multiprocessing.get_context("spawn")
    out = spawn.Queue()
    worker = spawn.Process(target=_send_result, args=(out, target, *args))
    worker.start()
    while True:
        try:
            result: T = out.get(timeout=1)
            break
        except queue.Empty:
            if not worker.is_alive():
                raise RuntimeError(f"the client process ended ({worker.exitcode})") from None
    worker.join(30)
    return result


def _send_result(out: Any, target: Callable[..., Any], *args: Any) -> None:
    out.put(target(*args))
