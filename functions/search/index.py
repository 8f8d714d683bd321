"""The search index in Elasticsearch: create behind an alias, version-guarded writes, reindex."""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Iterable, Iterator
from typing import Any

from opensearchpy import helpers
from opensearchpy.exceptions import ConflictError, NotFoundError

from functions.search import mapping
from shopfn.stores import es_client


def ensure_index() -> str:
    """The index behind the alias, created (with its alias) when there is none."""
    es = es_client()
    name = mapping.alias()
    if es.indices.exists_alias(name=name):
        return str(next(iter(es.indices.get_alias(name=name))))
    if es.indices.exists(index=name):
        return name  # an index someone created without the alias: use it as it is
    index = f"{name}-{int(time.time() * 1000)}"
    es.indices.create(index=index, body=mapping.index_body(aliases={name: {}}))
    return index


@functools.cache
def _ensured(alias: str) -> str:
    # Once per process (a failure is not cached): the engine may have come up after setup ran,
    # and a write to a missing alias would otherwise create an index without the mapping.
    return ensure_index()


def write(product_id: str, version: int, doc: dict[str, Any], *, refresh: bool = False) -> bool:
    """Index `doc` unless the index already holds this version or a newer one.

    External versioning makes the engine compare versions atomically: a late, older event
    loses, and a redelivered one is a no-op. False when the write was skipped.
    """
    alias = mapping.alias()
    _ensured(alias)
    refresh_after = "true" if refresh else "false"  # the query string wants words
    params = {"version": version, "version_type": "external", "refresh": refresh_after}
    try:
        try:
            es_client().index(index=alias, id=product_id, body=doc, params=params)
        except NotFoundError:  # the index went away since (an engine with fresh data)
            _ensured.cache_clear()
            _ensured(alias)
            es_client().index(index=alias, id=product_id, body=doc, params=params)
    except ConflictError:
        return False
    return True


def _actions(index: str, bodies: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for body in bodies:
        yield {
            "_index": index,
            "_id": body["productId"],
            "_version": body["version"],
            "_version_type": "external",
            "_source": body,
        }


def _bulk(index: str, bodies: Iterable[dict[str, Any]], chunk: int = 1000) -> int:
    """Write index-shaped documents (version-guarded); how many were written."""
    written, _ = helpers.bulk(
        es_client(),
        _actions(index, bodies),
        chunk_size=chunk,
        raise_on_error=False,
        stats_only=True,
    )
    return int(written)


def bulk_load(index: str, docs: Iterable[dict[str, Any]], chunk: int = 1000) -> int:
    """Load products into `index` (version-guarded); how many were written."""
    return _bulk(index, (mapping.document(doc) for doc in docs), chunk)


def carry_over(old: str, new: str) -> int:
    """Copy into `new` what `old` holds at a newer version: the indexer's writes that reached
    the old index while the new one was built, tombstones included (a product deleted then
    would come back, and a late older update could bring back one deleted before)."""
    es = es_client()
    es.indices.refresh(index=old)
    hits = helpers.scan(es, index=old, query={"query": {"match_all": {}}}, size=1000)
    return _bulk(new, (hit["_source"] for hit in hits))


# While a bulk load runs: no refresh per second, and the translog synced in the background
# rather than per request. Both go back to their defaults (null) when it ends.
BULK_SETTINGS = {"index.refresh_interval": "-1", "index.translog.durability": "async"}


@contextlib.contextmanager
def bulk_loading(index: str) -> Iterator[None]:
    """Settings that make a bulk load into `index` about twice as fast, for its duration.

    Afterwards the index is refreshed (searchable) and flushed (durable), so what the load
    wrote is as safe as a document the indexer writes one by one.
    """
    es = es_client()
    es.indices.put_settings(index=index, body=BULK_SETTINGS)
    try:
        yield
    finally:
        es.indices.put_settings(index=index, body=dict.fromkeys(BULK_SETTINGS))
        es.indices.refresh(index=index)
        es.indices.flush(index=index)


def rebuild(docs: Iterable[dict[str, Any]]) -> tuple[str, int]:
    """Build a fresh index from `docs`, then swap the alias to it and drop the old ones.

    Searches keep answering from the old index until the swap. The indexer keeps writing to the
    old index meanwhile: once the alias points at the new one, whatever the old index holds at
    a newer version is carried over (version-guarded, so nothing newer is overwritten).
    """
    es = es_client()
    name = mapping.alias()
    index = f"{name}-{int(time.time() * 1000)}"
    es.indices.create(index=index, body=mapping.index_body())
    with bulk_loading(index):
        count = bulk_load(index, docs)
    old = list(es.indices.get_alias(name=name)) if es.indices.exists_alias(name=name) else []
    if es.indices.exists(index=name) and not old:
        es.indices.delete(index=name)  # a plain index squatting on the alias's name
    actions: list[dict[str, Any]] = [{"remove": {"index": o, "alias": name}} for o in old]
    actions.append({"add": {"index": index, "alias": name}})
    es.indices.update_aliases(body={"actions": actions})
    for o in old:
        carry_over(o, index)
        es.indices.delete(index=o)
    return index, count


def search(body: dict[str, Any]) -> dict[str, Any]:
    return dict(es_client().search(index=mapping.alias(), body=body))
