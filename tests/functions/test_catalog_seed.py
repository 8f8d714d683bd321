"""`shopfn seed` against the real stores: MongoDB and the search index filled side by side,
idempotent, and honest when the search engine is away."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from functions.catalog.seed import seed
from functions.catalog.store import products
from functions.search import mapping
from functions.search.index import BULK_SETTINGS
from shopfn import breaker, config, stores
from shopfn.servers.base import free_port

pytestmark = [pytest.mark.servers("mongo", "redis", "elasticsearch"), pytest.mark.timeout(240)]


@pytest.fixture
def own_catalog(
    servers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[pytest.MonkeyPatch]:
    """A database and an index alias of this test's own: seed ids are fixed, and other tests
    share the session's stores."""
    tag = uuid.uuid4().hex[:8]
    monkeypatch.setenv("SHOPFN_MONGO_DB", f"seed_test_{tag}")
    monkeypatch.setenv("SHOPFN_SEARCH_INDEX", f"seed-test-{tag}")
    config.reload()
    stores.reset_clients()
    yield monkeypatch
    monkeypatch.setenv("SHOPFN_ELASTICSEARCH_URL", servers["SHOPFN_ELASTICSEARCH_URL"])
    config.reload()
    stores.reset_clients()
    stores.es_client().indices.delete(index=f"seed-test-{tag}*")
    stores.mongo_db().client.drop_database(f"seed_test_{tag}")
    monkeypatch.undo()
    config.reload()
    stores.reset_clients()
    breaker.reset_breakers()


def test_seed_fills_mongo_and_the_index_once(own_catalog: pytest.MonkeyPatch) -> None:
    first = seed(300, batch_size=100)
    assert (first.inserted, first.existing, first.indexed) == (300, 0, 300)
    assert products().count_documents({}) == 300
    es = stores.es_client()
    assert first.search in es.indices.get_alias(name=mapping.alias())
    assert es.count(index=mapping.alias())["count"] == 300  # refreshed: searchable at once
    flat = es.indices.get_settings(index=first.search, params={"flat_settings": "true"})
    assert not set(BULK_SETTINGS) & set(flat[first.search]["settings"]), "bulk settings left"

    again = seed(300, batch_size=100)
    assert (again.inserted, again.existing, again.indexed) == (0, 300, 0)
    assert again.search == "up to date"
    assert es.count(index=mapping.alias())["count"] == 300


def test_seed_without_the_engine_fills_mongo_and_says_to_reindex(
    own_catalog: pytest.MonkeyPatch,
) -> None:
    own_catalog.setenv("SHOPFN_ELASTICSEARCH_URL", f"http://127.0.0.1:{free_port()}")
    config.reload()
    stores.reset_clients()
    report = seed(120, batch_size=40)
    assert (report.inserted, report.indexed) == (120, 0)
    assert report.search.startswith("unavailable") and "shopfn reindex" in report.search
    assert products().count_documents({}) == 120


def test_search_setup_fills_a_missing_index_from_mongo_once(
    own_catalog: pytest.MonkeyPatch,
) -> None:
    """An engine that came up after the platform (or with fresh data) gets the catalog."""
    from functions.search._setup import setup

    seed(60, batch_size=30, with_search=False)
    es = stores.es_client()
    assert not es.indices.exists_alias(name=mapping.alias())
    setup()
    (index,) = es.indices.get_alias(name=mapping.alias())
    assert es.count(index=mapping.alias())["count"] == 60
    setup()  # an index there already is left alone
    assert list(es.indices.get_alias(name=mapping.alias())) == [index]


def test_reindex_carries_over_what_the_indexer_wrote_meanwhile(
    own_catalog: pytest.MonkeyPatch,
) -> None:
    """An update and a deletion that reach the old index while the new one is being built
    (from a MongoDB snapshot older than both) are in the new index once it is swapped in."""
    from functions.search import index as search_index

    seed(3, batch_size=3)
    es = stores.es_client()
    (old,) = es.indices.get_alias(name=mapping.alias())
    snapshot = list(products().find({}).sort("_id", 1))
    renamed, deleted = snapshot[0], snapshot[2]

    def while_building() -> Iterator[dict[str, Any]]:
        for position, doc in enumerate(snapshot):
            if position == 1:  # the indexer's consumers, meanwhile, write to the alias
                newer = {**renamed, "name": "Renamed meanwhile", "version": renamed["version"] + 1}
                assert search_index.write(
                    str(renamed["_id"]), newer["version"], mapping.document(newer)
                )
                version = deleted["version"] + 1
                tomb = mapping.tombstone(str(deleted["_id"]), version)
                assert search_index.write(str(deleted["_id"]), version, tomb)
            yield doc

    new, count = search_index.rebuild(while_building())
    assert count == 3 and list(es.indices.get_alias(name=mapping.alias())) == [new]
    assert not es.indices.exists(index=old)
    got = es.get(index=mapping.alias(), id=str(renamed["_id"]))
    assert (got["_source"]["name"], got["_version"]) == (
        "Renamed meanwhile",
        renamed["version"] + 1,
    )
    assert es.get(index=mapping.alias(), id=str(deleted["_id"]))["_source"]["deleted"] is True
    unchanged = es.get(index=mapping.alias(), id=str(snapshot[1]["_id"]))
    assert unchanged["_version"] == snapshot[1]["version"]
