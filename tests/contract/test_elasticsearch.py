"""Contract: what product search relies on, checked through elasticsearch-py."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from elasticsearch import Elasticsearch, NotFoundError, helpers

pytestmark = [pytest.mark.servers("elasticsearch"), pytest.mark.timeout(60)]

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
def es(servers: dict[str, str]) -> Iterator[Elasticsearch]:
    client = Elasticsearch(servers["SHOPFN_ELASTICSEARCH_URL"], request_timeout=10)
    yield client
    client.close()


@pytest.fixture(scope="module")
def index(es: Elasticsearch) -> Iterator[str]:
    name = f"contract-products-{uuid.uuid4().hex[:8]}"
    es.indices.create(index=name, mappings=MAPPING)
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


def test_mapping_is_kept(es: Elasticsearch, index: str) -> None:
    mapping = es.indices.get_mapping(index=index)[index]["mappings"]["properties"]
    assert mapping["category"]["type"] == "keyword"
    assert mapping["name"]["type"] == "text"


def test_fuzzy_match_finds_a_misspelling(es: Elasticsearch, index: str) -> None:
    found = es.search(
        index=index,
        query={
            "multi_match": {
                "query": "laptp",
                "fields": ["name^2", "description"],
                "fuzziness": "AUTO",
            }
        },
    )
    skus = {hit["_source"]["sku"] for hit in found["hits"]["hits"]}
    assert skus == {"SKU-1", "SKU-2"}


def test_terms_aggregation_counts_categories(es: Elasticsearch, index: str) -> None:
    found = es.search(index=index, size=0, aggs={"categories": {"terms": {"field": "category"}}})
    buckets = {b["key"]: b["doc_count"] for b in found["aggregations"]["categories"]["buckets"]}
    assert buckets == {"computers": 2, "accessories": 2, "home": 1}


def test_highlight_and_range_filter(es: Elasticsearch, index: str) -> None:
    found = es.search(
        index=index,
        query={
            "bool": {
                "must": [{"match": {"description": "light"}}],
                "filter": [{"range": {"price_cents": {"lte": 80_000}}}],
            }
        },
        highlight={"fields": {"description": {}}},
    )
    hits = found["hits"]["hits"]
    assert {hit["_id"] for hit in hits} == {"SKU-2", "SKU-5"}
    for hit in hits:
        assert "<em>light</em>" in hit["highlight"]["description"][0].lower()


def test_document_update_and_delete(es: Elasticsearch, index: str) -> None:
    es.update(index=index, id="SKU-4", doc={"price_cents": 2_500}, refresh=True)
    assert es.get(index=index, id="SKU-4")["_source"]["price_cents"] == 2_500
    es.delete(index=index, id="SKU-4", refresh=True)
    with pytest.raises(NotFoundError):
        es.get(index=index, id="SKU-4")
