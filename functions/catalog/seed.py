"""`shopfn seed`: load the demo catalog (20,000 products by default), idempotently.

Products get fixed ids (`seed-000000`...), so a second run inserts only what is missing. They
go straight to MongoDB and, in bulk, to the search index (version-guarded like the indexer),
rather than as 20,000 events: a bulk load is what a real migration would do too.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import Any

from opensearchpy.exceptions import TransportError
from pymongo.errors import BulkWriteError

from functions.catalog.seeddata import SEED_PREFIX, make_products
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


def _stored_seed_ids() -> set[str]:
    """The seed's products already stored, in one pass: FerretDB answers a per-batch `$in`
    by scanning the collection each time, and refusing 20,000 duplicate keys took 12 s."""
    found = products().find({"_id": {"$regex": f"^{SEED_PREFIX}"}}, {"_id": 1})
    return {str(doc["_id"]) for doc in found}


def _insert_missing(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Insert the batch, skipping the ids already there; the documents actually inserted.

    The unique `_id` index settles a race with another seed run that inserted meanwhile.
    """
    if not batch:
        return []
    try:
        products().insert_many(batch, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors", [])
        if any(error.get("code") != DUPLICATE_KEY for error in errors):
            raise
        duplicates = {batch[error["index"]]["_id"] for error in errors}
        return [doc for doc in batch if doc["_id"] not in duplicates]
    return batch


@contextlib.contextmanager
def _search_loader(report: SeedReport) -> Iterator[Callable[[list[dict[str, Any]]], None]]:
    """A callable that indexes a batch in the background while MongoDB takes the next ones.

    One bulk request at a time: on two cores, parallel bulks were slower than one.
    Search is optional for seeding: when the engine fails, `shopfn reindex` catches up later.
    """
    from functions.search.index import bulk_load, bulk_loading, ensure_index

    failed: list[TransportError] = []

    def load(index: str, batch: list[dict[str, Any]]) -> None:
        if not failed:
            try:
                report.indexed += bulk_load(index, batch)
            except TransportError as exc:
                failed.append(exc)

    try:
        index = ensure_index()
    except TransportError as exc:
        failed.append(exc)
    if failed:
        yield lambda batch: None
    else:
        try:
            with ThreadPoolExecutor(max_workers=1) as indexer, bulk_loading(index):

                def submit(batch: list[dict[str, Any]]) -> None:
                    if batch:
                        indexer.submit(load, index, batch)

                yield submit
                indexer.shutdown(wait=True)
        except TransportError as exc:  # the engine went away during the load
            failed.append(exc)
    if failed:
        reason = type(failed[0]).__name__
        report.search = f"unavailable ({reason}); run `shopfn reindex` later"
    else:
        report.search = index if report.indexed else "up to date"


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
    with contextlib.ExitStack() as search:
        index_batch = (
            search.enter_context(_search_loader(report)) if with_search else lambda _: None
        )
        stored = _stored_seed_ids()
        # A few batches in flight keep FerretDB and its PostgreSQL busy while Python generates.
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            pending = [
                (
                    len(batch),
                    pool.submit(_insert_missing, [d for d in batch if d["_id"] not in stored]),
                )
                for batch in _batches(make_products(count), batch_size)
            ]
            for size, future in pending:
                inserted = future.result()
                report.inserted += len(inserted)
                report.existing += size - len(inserted)
                index_batch(inserted)
                if progress is not None:
                    progress(size)
        report.mongo_seconds = time.perf_counter() - started
    # What the index still needed once MongoDB was done.
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
