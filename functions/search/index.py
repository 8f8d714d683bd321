"""The search index in Elasticsearch: create behind an alias, version-guarded writes, reindex."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from elasticsearch import ConflictError, helpers

from functions.search import mapping
from shopfn.stores import es_client


def ensure_index() -> str:
    """The index behind the alias, created (with its alias) when there is none."""
    es = es_client()
    name = mapping.alias()
    if es.indices.exists_alias(name=name):
        return next(iter(es.indices.get_alias(name=name)))
    if es.indices.exists(index=name):
        return name  # an index someone created without the alias: use it as it is
    index = f"{name}-{int(time.time() * 1000)}"
    es.indices.create(
        index=index, settings=mapping.SETTINGS, mappings=mapping.MAPPINGS, aliases={name: {}}
    )
    return index


def write(product_id: str, version: int, doc: dict[str, Any], *, refresh: bool = False) -> bool:
    """Index `doc` unless the index already holds this version or a newer one.

    External versioning makes the engine compare versions atomically: a late, older event
    loses, and a redelivered one is a no-op. False when the write was skipped.
    """
    try:
        es_client().index(
            index=mapping.alias(),
            id=product_id,
            document=doc,
            version=version,
            version_type="external",
            refresh=refresh,
        )
    except ConflictError:
        return False
    return True


def _actions(index: str, docs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for doc in docs:
        body = mapping.document(doc)
        yield {
            "_index": index,
            "_id": body["productId"],
            "_version": body["version"],
            "_version_type": "external",
            "_source": body,
        }


def bulk_load(index: str, docs: Iterable[dict[str, Any]], chunk: int = 1000) -> int:
    """Load products into `index` (version-guarded); how many were written."""
    written, _ = helpers.bulk(
        es_client(), _actions(index, docs), chunk_size=chunk, raise_on_error=False, stats_only=True
    )
    return int(written)


def rebuild(docs: Iterable[dict[str, Any]]) -> tuple[str, int]:
    """Build a fresh index from `docs`, then swap the alias to it and drop the old ones.

    Searches keep answering from the old index until the swap; tombstones are left behind.
    """
    es = es_client()
    name = mapping.alias()
    index = f"{name}-{int(time.time() * 1000)}"
    es.indices.create(index=index, settings=mapping.SETTINGS, mappings=mapping.MAPPINGS)
    count = bulk_load(index, docs)
    es.indices.refresh(index=index)
    old = list(es.indices.get_alias(name=name)) if es.indices.exists_alias(name=name) else []
    if es.indices.exists(index=name) and not old:
        es.indices.delete(index=name)  # a plain index squatting on the alias's name
    actions: list[dict[str, Any]] = [{"remove": {"index": o, "alias": name}} for o in old]
    actions.append({"add": {"index": index, "alias": name}})
    es.indices.update_aliases(actions=actions)
    for o in old:
        es.indices.delete(index=o)
    return index, count


def search(body: dict[str, Any]) -> dict[str, Any]:
    return dict(es_client().search(index=mapping.alias(), **body))
