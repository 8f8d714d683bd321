"""`shopfn reindex`: rebuild the search index from MongoDB, then swap it in."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from functions.catalog.store import products
from functions.search.index import rebuild


def _all_products(batch: int = 1000) -> Iterator[dict[str, Any]]:
    # One streamed cursor: FerretDB scans for any range or sort, so paging by _id would scan
    # the collection once per page.
    yield from products().find({}).batch_size(batch)


def reindex(say: Any = print) -> int:
    started = time.perf_counter()
    index, count = rebuild(_all_products())
    say(f"reindexed {count} products into {index} in {time.perf_counter() - started:.1f} s")
    return count
