"""How long `shopfn seed` takes for 20,000 products, and a second (idempotent) run.

Run: `python -m benchmarks.seed_catalog` (starts its own servers) or through the harness.
"""

from __future__ import annotations

import os
import sys
import time
import uuid

from benchmarks.harness import Context, Row, context, print_table
from functions.catalog.seed import seed
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


def seed_time(ctx: Context) -> list[Row]:
    _fresh_namespace()
    ensure_indexes()
    ensure_index()
    began = time.perf_counter()
    for _ in make_products(COUNT):
        pass
    generate = time.perf_counter() - began

    first = seed(COUNT)
    again = seed(COUNT)
    assert first.inserted == COUNT and again.inserted == 0, (first, again)
    return [
        Row(f"seed {COUNT:,} products: total", first.seconds, "s", GOAL_SECONDS, "goal <= 5 s"),
        Row("  generating + MongoDB (FerretDB) inserts", first.mongo_seconds, "s"),
        Row("    of which generating alone", generate, "s"),
        Row("  search index, after MongoDB was done (bulk, alongside)", first.search_seconds, "s"),
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
