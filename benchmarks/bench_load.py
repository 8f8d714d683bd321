"""Locust against the in-process emulator, stepping the number of users to find the knee.

    python -m benchmarks bench_load            # inside `make bench`'s table
    python -m benchmarks.bench_load --serve    # just the platform, for wrk or py-spy by hand

The emulator serves every function but analytics' (its Cassandra is not started by the bench)
on a free loopback port, over a seeded catalog. Locust (`benchmarks/locustfile.py`, one
headless process, its own cores' worth of gevent) runs each step for `STEP_SECONDS` after all
its users have spawned (`--reset-stats`); a step's figures are the aggregate over every
request. The knee is the last step whose requests per user stay within 90% of the lightest
step's: past it, requests queue instead of being served.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from benchmarks.harness import Context, Row, context, functions_where
from shopfn import bootstrap
from shopfn.emulator.gateway import Emulator
from shopfn.emulator.serve import serving
from shopfn.servers.base import free_port

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
STEPS = (10, 25, 50, 100, 200, 400)
WARM_PAGES = 20  # the catalog pages the shoppers browse (locustfile: pages 1..20 of 20)
STEP_SECONDS = int(os.environ.get("LOAD_STEP_SECONDS", "20"))
# FerretDB (the embedded MongoDB) scans the collection for sorts, counts and $in: the catalog
# size sets what the listing, cart and checkout paths cost (see docs/load.md).
PRODUCTS = int(os.environ.get("LOAD_PRODUCTS", "200"))
# Analytics needs Cassandra, which the bench leaves out (see harness.BENCH_SERVERS).
SKIPPED_DOMAINS = {"analytics"}
KNEE_EFFICIENCY = 0.9


@dataclass
class Step:
    users: int
    rps: float
    p50: float
    p95: float
    requests: int
    failures: int
    load: float
    slowest: str = ""

    @property
    def per_user(self) -> float:
        return self.rps / self.users


@contextmanager
def platform() -> Iterator[str]:
    """Stores set up, the catalog seeded and indexed, the gateway up; yields its URL."""
    from functions.catalog.seed import seed

    specs = functions_where(lambda domain: domain not in SKIPPED_DOMAINS)
    bootstrap.run(lambda _: None)
    seed(PRODUCTS, with_search=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    emulator = Emulator(specs, gateway_url=url, log=lambda _: None)
    with serving(emulator, port):
        warm(url)
        yield url


def warm(url: str) -> None:
    """Fill the page caches and connection pools, as traffic would have before a measure.

    Without it the first step measures MongoDB's cold scans: every shopper's first catalog
    page misses at once.
    """
    with requests.Session() as session:
        for page in range(1, WARM_PAGES + 1):
            session.get(f"{url}/api/products?page={page}&pageSize=20", timeout=60)
        session.get(f"{url}/api/search?q=lamp", timeout=60)


def run_step(url: str, users: int, workdir: Path) -> Step:
    """One bounded headless Locust run at `users`; its aggregate row."""
    prefix = workdir / f"locust-{users}"
    spawn_rate = max(users // 4, 1)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(spawn_rate),
            "--run-time",
            f"{STEP_SECONDS + users // spawn_rate + 1}s",
            "--reset-stats",
            "--stop-timeout",
            "5",
            "--host",
            url,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        check=False,  # Locust exits 1 when any request failed: the failures are in the row
        capture_output=True,
        timeout=STEP_SECONDS + 120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    load = os.getloadavg()[0]
    with open(f"{prefix}_stats.csv", newline="") as handle:
        table = list(csv.DictReader(handle))
    total = next(row for row in table if row["Name"] == "Aggregated")
    by_p95 = sorted(
        (r for r in table if r["Name"] != "Aggregated" and r["95%"] not in ("", "N/A")),
        key=lambda r: -float(r["95%"]),
    )
    slowest = ", ".join(f"{r['Type']} {r['Name']} {float(r['95%']):.0f}" for r in by_p95[:3])
    return Step(
        users=users,
        rps=float(total["Requests/s"]),
        p50=float(total["50%"]),
        p95=float(total["95%"]),
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        load=load,
        slowest=slowest,
    )


def knee(steps: list[Step]) -> Step:
    """The last step still serving at least 90% of the lightest step's requests per user."""
    base = steps[0].per_user
    within = [s for s in steps if s.per_user >= KNEE_EFFICIENCY * base]
    return within[-1] if within else steps[0]


def curve(url: str, steps: tuple[int, ...] = STEPS) -> list[Step]:
    out: list[Step] = []
    with tempfile.TemporaryDirectory(prefix="shopfn-locust-") as tmp:
        for users in steps:
            step = run_step(url, users, Path(tmp))
            print(
                f"  {users:>4} users: {step.rps:7.1f} rps  p50 {step.p50:6.0f} ms  "
                f"p95 {step.p95:6.0f} ms  failures {step.failures}/{step.requests}  "
                f"load {step.load:.1f}\n        slowest p95 (ms): {step.slowest}",
                flush=True,
            )
            out.append(step)
            if step.p95 > 5_000:  # far past the knee: more users only add queueing
                break
    return out


def rows(steps: list[Step]) -> list[Row]:
    out = [
        Row(
            f"Locust {s.users} users: requests/s",
            s.rps,
            "rps",
            note=f"p50 {s.p50:.0f} ms, p95 {s.p95:.0f} ms, failed {s.failures}/{s.requests}, "
            f"load avg {s.load:.1f}",
        )
        for s in steps
    ]
    best = knee(steps)
    out.append(Row("Locust knee: requests/s", best.rps, "rps", note=f"at {best.users} users"))
    out.append(Row("Locust knee: p95", best.p95, "ms", note=f"at {best.users} users"))
    return out


def load_curve(ctx: Context) -> list[Row]:
    with platform() as url:
        return rows(curve(url))


BENCHMARKS = (load_curve,)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="serve until Ctrl-C, no Locust")
    parser.add_argument("--steps", type=int, nargs="*", default=list(STEPS))
    args = parser.parse_args(argv)
    with context(), platform() as url:
        if args.serve:
            # A background job ignores SIGINT: TERM stops it cleanly too (servers included).
            stop = threading.Event()
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, lambda *_: stop.set())
            print(f"serving {url} (pid {os.getpid()}); Ctrl-C or SIGTERM stops", flush=True)
            stop.wait()
            return 0
        for row in rows(curve(url, tuple(args.steps))):
            print(f"{row.name}: {row.value:.1f} {row.unit} ({row.note})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
