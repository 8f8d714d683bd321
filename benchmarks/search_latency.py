"""Search latency over 20,000 products: p50 and p95 of varied queries.

Measured twice: the search function's own work (build the query, ask the engine, shape the
answer) and the whole HTTP round trip through the emulator's gateway.
Run: `python -m benchmarks.search_latency` (starts its own servers).
"""

from __future__ import annotations

import os
import random
import sys
import time
import uuid
from typing import Any

import requests

from benchmarks.harness import (
    Context,
    Row,
    context,
    functions_where,
    in_own_process,
    percentile,
    print_table,
)
from functions.catalog.seeddata import CATALOG, make_products
from functions.search import index
from functions.search.models import SearchQuery
from functions.search.query import es_request, from_es
from shopfn import config, stores
from shopfn.servers.base import free_port

COUNT = 20_000
QUERIES = int(os.environ.get("BENCH_SEARCH_QUERIES", "1000"))
GOAL_P95_MS = 20.0
WARM_UP = 2000


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def queries(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """A mix a shop sees: words, typos, two-word phrases, filters, facets, sorts, pages."""
    rng = random.Random(seed)
    words = sorted(
        {w.lower() for _, kinds in CATALOG.values() for k in kinds for w in k.name.split()}
    )
    categories = list(CATALOG)
    mix: list[dict[str, Any]] = []
    for i in range(count):
        params: dict[str, Any] = {}
        roll = i % 6
        if roll in (0, 1):
            params["q"] = rng.choice(words)
        elif roll == 2:
            params["q"] = _typo(rng.choice(words), rng)
        elif roll == 3:
            params["q"] = f"{rng.choice(words)} {rng.choice(words)}"
        if rng.random() < 0.4:
            params["category"] = rng.choice(categories)
        if rng.random() < 0.3:
            low = rng.choice((0, 25, 50, 100))
            params.update(minPrice=low, maxPrice=low + rng.choice((50, 200, 1000)))
        if rng.random() < 0.2:
            params["inStock"] = "true"
        if rng.random() < 0.3:
            params["sort"] = rng.choice(("price-asc", "price-desc", "rating", "newest"))
        if rng.random() < 0.1:
            params["page"] = rng.randrange(2, 6)
        mix.append(params)
    return mix


def _load_index() -> None:
    tag = uuid.uuid4().hex[:8]
    os.environ["SHOPFN_SEARCH_INDEX"] = f"bench-search-{tag}"
    config.reload()
    stores.reset_clients()
    index.rebuild(make_products(COUNT))


def _timed(calls: list[Any]) -> tuple[list[float], int]:
    """(milliseconds per call, how many failed); a failed call counts with the time it took,
    a lower bound of its latency (a timeout is the usual failure)."""
    times, failed = [], 0
    for call in calls:
        began = time.perf_counter()
        try:
            call()
        except Exception:
            failed += 1
        times.append((time.perf_counter() - began) * 1000)
    return times, failed


def http_times(
    url: str, warm_up: list[dict[str, Any]], mix: list[dict[str, Any]]
) -> tuple[list[float], int]:
    """GET /api/search for each of `mix` after `warm_up`: (ms per request, how many failed)."""
    with requests.Session() as http:

        def get(params: dict[str, Any]) -> None:
            answer = http.get(url, params=params, timeout=10)
            assert answer.status_code == 200 and answer.json()["source"] == "elasticsearch"

        _timed([lambda p=p: get(p) for p in warm_up])
        return _timed([lambda p=p: get(p) for p in mix])


def search_latency(ctx: Context) -> list[Row]:
    from shopfn.emulator.gateway import Emulator
    from shopfn.emulator.serve import serving

    _load_index()
    mix = queries(QUERIES)
    parsed = [SearchQuery.model_validate(p) for p in mix]
    total = from_es(parsed[0], index.search(es_request(SearchQuery())))["total"]
    assert total == COUNT, total
    # A served engine is warm: a node just started needs several hundred queries before its JIT
    # has compiled the query paths (p50 58 ms over the first 300, 12 ms from the 900th on).
    warm_up = [SearchQuery.model_validate(p) for p in queries(WARM_UP, seed=1)]
    _, warm_up_failed = _timed([lambda q=q: index.search(es_request(q)) for q in warm_up])
    assert warm_up_failed == 0, f"{warm_up_failed} warm-up searches failed"
    function_ms, function_failed = _timed(
        [lambda q=q: from_es(q, index.search(es_request(q))) for q in parsed]
    )

    port = free_port()
    # The search functions alone: the others' periodic ticks would need the orders database.
    specs = functions_where(lambda domain: domain == "search")
    emulator = Emulator(specs, gateway_url=f"http://127.0.0.1:{port}", log=lambda _: None)
    with serving(emulator, port):
        # The shoppers' HTTP client runs apart, as a browser does not share the server's GIL.
        http_ms, http_failed = in_own_process(
            http_times, f"http://127.0.0.1:{port}/api/search", queries(WARM_UP // 5, seed=2), mix
        )
    note = f"{QUERIES} varied queries over {COUNT:,} products"
    failed = f"{function_failed} of {QUERIES} failed (timed out), counted at the time they took"
    return [
        Row(
            "search p50 (function: query + engine + shaping)",
            percentile(function_ms, 50),
            "ms",
            note=failed,
        ),
        Row(
            "search p95 (function: query + engine + shaping)",
            percentile(function_ms, 95),
            "ms",
            GOAL_P95_MS,
            "goal <= 20 ms",
        ),
        Row("search p50 (HTTP through the gateway)", percentile(http_ms, 50), "ms", note=note),
        Row(
            "search p95 (HTTP through the gateway)",
            percentile(http_ms, 95),
            "ms",
            GOAL_P95_MS,
            f"{http_failed} of {QUERIES} failed or fell back to MongoDB",
        ),
    ]


BENCHMARKS = (search_latency,)


def main() -> int:
    # Loading 20,000 documents on a busy machine outlasts the functions' 5 s store timeout.
    os.environ.setdefault("SHOPFN_REQUEST_TIMEOUT", "60")
    with context() as ctx:
        rows = [row for bench in BENCHMARKS for row in bench(ctx)]
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
