"""`shopfn reindex`: rebuild the search index from MongoDB, then swap it in."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from functions.catalog.store import products
from functions.search.index import rebuild


def _all_products(batch: int = 1000) -> Iterator[dict[str, Any]]:
    # Paged by _id: one long cursor over the whole catalog would outlive FerretDB's timeouts.
    last = ""
    while True:
        page = list(products().find({"_id": {"$gt": last}}).sort("_id", 1).limit(batch))
        if not page:
            return
        yield from page
        last = page[-1]["_id"]


def reindex(say: Any = print) -> int:
    started = time.perf_counter()
    index, count = rebuild(_all_products())
    say(f"reindexed {count} products into {index} in {time.perf_counter() - started:.1f} s")
    return count
