"""Contract: what product search relies on, checked through opensearch-py on the real engine."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConflictError, NotFoundError

from functions.search import mapping

# The timeout covers the first test's wait for the search node (a JVM) when run alone.
pytestmark = [pytest.mark.servers("elasticsearch"), pytest.mark.timeout(300)]

MAPPING = {
    "properties": {
        "sku": {"type": "keyword"},
        "name": {"type": "text"},
        "description": {"type": "text"},
        "category": {"type": "keyword"},
        "price_cents": {"type": "integer"},
    }
}
PRODUCTS = [
    ("SKU-1", "Gaming laptop", "A fast laptop with a bright screen", "computers", 129_900),
    ("SKU-2", "Office laptop", "A light laptop for long days", "computers", 79_900),
    ("SKU-3", "Mechanical keyboard", "Clicky keys for typing", "accessories", 9_900),
    ("SKU-4", "Wireless mouse", "A quiet mouse", "accessories", 2_900),
    ("SKU-5", "Desk lamp", "Warm light for the desk", "home", 3_900),
]


@pytest.fixture(scope="module")
def es(servers: dict[str, str]) -> Iterator[OpenSearch]:
    client = OpenSearch(servers["SHOPFN_ELASTICSEARCH_URL"], timeout=10)
    yield client
    client.close()


@pytest.fixture(scope="module")
def index(es: OpenSearch) -> Iterator[str]:
    name = f"contract-products-{uuid.uuid4().hex[:8]}"
    es.indices.create(index=name, body={"mappings": MAPPING})
    actions = [
        {
            "_index": name,
            "_id": sku,
            "_source": {
                "sku": sku,
                "name": title,
                "description": text,
                "category": category,
                "price_cents": price,
            },
        }
        for sku, title, text, category, price in PRODUCTS
    ]
    indexed, errors = helpers.bulk(es, actions, refresh=True)
    assert (indexed, errors) == (len(PRODUCTS), [])
    yield name
    es.indices.delete(index=name)


def test_mapping_is_kept(es: OpenSearch, index: str) -> None:
    found = es.indices.get_mapping(index=index)[index]["mappings"]["properties"]
    assert found["category"]["type"] == "keyword"
    assert found["name"]["type"] == "text"


def test_fuzzy_match_finds_a_misspelling(es: OpenSearch, index: str) -> None:
    query = {"multi_match": {"query": "laptp", "fields": ["name^2", "description"]}}
    query["multi_match"]["fuzziness"] = "AUTO"
    found = es.search(index=index, body={"query": query})
    skus = {hit["_source"]["sku"] for hit in found["hits"]["hits"]}
    assert skus == {"SKU-1", "SKU-2"}


def test_terms_aggregation_counts_categories(es: OpenSearch, index: str) -> None:
    body = {"size": 0, "aggs": {"categories": {"terms": {"field": "category"}}}}
    found = es.search(index=index, body=body)
    buckets = {b["key"]: b["doc_count"] for b in found["aggregations"]["categories"]["buckets"]}
    assert buckets == {"computers": 2, "accessories": 2, "home": 1}


def test_highlight_and_range_filter(es: OpenSearch, index: str) -> None:
    body = {
        "query": {
            "bool": {
                "must": [{"match": {"description": "light"}}],
                "filter": [{"range": {"price_cents": {"lte": 80_000}}}],
            }
        },
        "highlight": {"fields": {"description": {}}},
    }
    hits = es.search(index=index, body=body)["hits"]["hits"]
    assert {hit["_id"] for hit in hits} == {"SKU-2", "SKU-5"}
    for hit in hits:
        assert "<em>light</em>" in hit["highlight"]["description"][0].lower()


def test_document_update_and_delete(es: OpenSearch, index: str) -> None:
    es.update(index=index, id="SKU-4", body={"doc": {"price_cents": 2_500}}, refresh=True)
    assert es.get(index=index, id="SKU-4")["_source"]["price_cents"] == 2_500
    es.delete(index=index, id="SKU-4", refresh=True)
    with pytest.raises(NotFoundError):
        es.get(index=index, id="SKU-4")


def test_external_versions_refuse_an_older_write(es: OpenSearch, index: str) -> None:
    """The indexer's guarantee: a late, older update never overwrites a newer one."""
    versioned = {"version_type": "external", "refresh": "true"}
    es.index(index=index, id="SKU-9", body={"sku": "SKU-9"}, params={**versioned, "version": 5})
    with pytest.raises(ConflictError):
        es.index(index=index, id="SKU-9", body={"sku": "old"}, params={**versioned, "version": 4})
    assert es.get(index=index, id="SKU-9")["_source"]["sku"] == "SKU-9"


def test_the_product_analyzers_stem_and_fold_accents(es: OpenSearch) -> None:
    name = f"contract-analysis-{uuid.uuid4().hex[:8]}"
    es.indices.create(index=name, body=mapping.index_body())
    try:
        body = {"analyzer": "product_text", "text": "Running Héadphones"}
        tokens = [t["token"] for t in es.indices.analyze(index=name, body=body)["tokens"]]
        assert tokens == ["run", "headphon"]
    finally:
        es.indices.delete(index=name)
