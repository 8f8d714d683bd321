"""How long `shopfn seed` takes for 20,000 products, and a second (idempotent) run.

Run: `python -m benchmarks.seed_catalog` (starts its own servers) or through the harness.
"""

from __future__ import annotations

import os
import sys
import time
import uuid

from benchmarks.harness import Context, Row, context, print_table
from functions.catalog.seed import SeedReport, seed
from functions.catalog.seeddata import make_products
from functions.catalog.store import ensure_indexes
from functions.search.index import ensure_index
from shopfn import config, stores

COUNT = 20_000
GOAL_SECONDS = 5.0


def _fresh_namespace() -> None:
    """A database and index of its own, so the seed starts from nothing."""
    tag = uuid.uuid4().hex[:8]
    os.environ["SHOPFN_MONGO_DB"] = f"bench_seed_{tag}"
    os.environ["SHOPFN_SEARCH_INDEX"] = f"bench-seed-{tag}"
    config.reload()
    stores.reset_clients()


def _seed_from_nothing() -> SeedReport:
    _fresh_namespace()
    ensure_indexes()
    ensure_index()
    report = seed(COUNT)
    assert report.inserted == COUNT and report.indexed == COUNT, report
    return report


def seed_time(ctx: Context) -> list[Row]:
    began = time.perf_counter()
    for _ in make_products(COUNT):
        pass
    generate = time.perf_counter() - began

    # The search node was started a moment ago: its JIT compiles the indexing code during the
    # first load. A developer's node has usually indexed before, so both are measured.
    cold = _seed_from_nothing()
    warm = _seed_from_nothing()
    again = seed(COUNT)
    assert again.inserted == 0, again
    return [
        Row(f"seed {COUNT:,} products: total", warm.seconds, "s", GOAL_SECONDS, "goal <= 5 s"),
        Row("  generating + MongoDB (FerretDB) inserts", warm.mongo_seconds, "s"),
        Row("    of which generating alone", generate, "s"),
        Row("  search index, after MongoDB was done (bulk, alongside)", warm.search_seconds, "s"),
        Row(
            "seed on a just-started search node: total",
            cold.seconds,
            "s",
            note=f"its index still loading {cold.search_seconds:.1f} s after MongoDB was done",
        ),
        Row("seed again (nothing to insert: idempotent)", again.seconds, "s"),
    ]


BENCHMARKS = (seed_time,)


def main() -> int:
    # Loading 20,000 documents on a busy machine outlasts the functions' 5 s store timeout.
    os.environ.setdefault("SHOPFN_REQUEST_TIMEOUT", "60")
    with context() as ctx:
        rows = [row for bench in BENCHMARKS for row in bench(ctx)]
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
