"""`shopfn seed`: load the demo catalog (20,000 products by default), idempotently.

Products get fixed ids (`seed-000000`...), so a second run inserts only what is missing. They
go straight to MongoDB and, in bulk, to the search index (version-guarded like the indexer),
rather than as 20,000 events: a bulk load is what a real migration would do too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Any

import elastic_transport
from pymongo.errors import BulkWriteError

from functions.catalog.seeddata import make_products
from functions.catalog.store import GENERATION_KEY, products
from shopfn.stores import redis_client

DUPLICATE_KEY = 11000
WRITERS = 4


@dataclass
class SeedReport:
    inserted: int = 0
    existing: int = 0
    indexed: int = 0
    seconds: float = 0.0
    mongo_seconds: float = 0.0
    search_seconds: float = 0.0
    search: str = "skipped"


def _batches(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while batch := list(islice(items, size)):
        yield batch


def _insert_missing(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert the batch, skipping the ids already there; the documents actually inserted.

    The unique `_id` index does the deduplication: asking first which ids exist would make
    FerretDB scan the collection once per batch.
    """
    try:
        products().insert_many(batch, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(error.get("code") != DUPLICATE_KEY for error in errors):
            raise
        duplicates = {batch[error["index"]]["_id"] for error in errors}
        return [doc for doc in batch if doc["_id"] not in duplicates]
    return batch


def _index(batches: list[list[dict[str, Any]]], report: SeedReport) -> None:
    if not any(batches):
        report.search = "up to date"
        return
    from functions.search.index import bulk_load, ensure_index

    try:
        index = ensure_index()
        report.indexed = sum(bulk_load(index, batch) for batch in batches)
        report.search = index
    except elastic_transport.TransportError as exc:
        # Search is optional for seeding: `shopfn reindex` catches up once it is back.
        report.search = f"unavailable ({type(exc).__name__}); run `shopfn reindex` later"


def seed(
    count: int = 20_000,
    batch_size: int = 1_000,
    with_search: bool = True,
    progress: Callable[[int], None] | None = None,
) -> SeedReport:
    """Insert the first `count` demo products that are not there yet; index those for search.

    Products already there are left alone (and not re-indexed: `shopfn reindex` rebuilds).
    """
    report, started = SeedReport(), time.perf_counter()
    loaded: list[list[dict[str, Any]]] = []
    # A few batches in flight keep FerretDB and its PostgreSQL busy while Python generates.
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        pending = [
            (len(batch), pool.submit(_insert_missing, batch))
            for batch in _batches(make_products(count), batch_size)
        ]
        for size, future in pending:
            inserted = future.result()
            report.inserted += len(inserted)
            report.existing += size - len(inserted)
            loaded.append(inserted)
            if progress is not None:
                progress(size)
    report.mongo_seconds = time.perf_counter() - started
    if with_search:
        _index(loaded, report)
        report.search_seconds = time.perf_counter() - started - report.mongo_seconds
    redis_client().incr(GENERATION_KEY)  # cached listing pages are stale now
    report.seconds = time.perf_counter() - started
    return report


def main(count: int = 20_000, with_search: bool = True) -> int:
    """The CLI entry: a progress bar, then one line of figures."""
    from tqdm import tqdm

    with tqdm(total=count, unit="product", desc="seeding") as bar:
        report = seed(count, with_search=with_search, progress=bar.update)
    print(
        f"seeded {report.inserted} new products ({report.existing} already there) in"
        f" {report.seconds:.1f} s; search index: {report.search} ({report.indexed} written)"
    )
    return 0
