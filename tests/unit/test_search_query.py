"""Pure search logic: the engine request, its answer, the fallback's filter and highlights."""

from __future__ import annotations

from datetime import UTC, datetime

from functions.search.mapping import document, tombstone
from functions.search.models import SearchQuery, SearchResult
from functions.search.query import (
    edit_distance,
    es_request,
    from_es,
    from_mongo,
    highlight,
    mongo_filter,
)


def test_text_is_fuzzy_and_filters_do_not_score() -> None:
    body = es_request(SearchQuery(q="headphnes", minPrice=10, inStock=True))
    bool_query = body["query"]["bool"]
    exact, fuzzy = (clause["multi_match"] for clause in bool_query["must"][0]["bool"]["should"])
    assert "fuzziness" not in exact and "name^3" in exact["fields"]
    assert fuzzy["fuzziness"] == "AUTO" and "name.plain^2" in fuzzy["fields"]
    assert {"range": {"price": {"gte": 10}}} in bool_query["filter"]
    assert {"range": {"stock": {"gt": 0}}} in bool_query["filter"]
    assert bool_query["must_not"] == [{"term": {"deleted": True}}]
    assert body["highlight"]["encoder"] == "html"


def test_category_is_a_post_filter_so_its_facet_counts_every_category() -> None:
    body = es_request(SearchQuery(category="shoes"))
    assert body["post_filter"] == {"term": {"category": "shoes"}}
    assert "category" not in str(body["query"])
    assert body["aggs"]["price"]["filter"]["bool"]["filter"] == [{"term": {"category": "shoes"}}]


def test_no_text_sorts_newest_first_and_pages() -> None:
    body = es_request(SearchQuery(page=3, pageSize=10))
    assert body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert body["sort"][0] == {"createdAt": "desc"}
    assert (body["from"], body["size"]) == (20, 10)


def answer() -> dict[str, object]:
    source = document(
        {
            "_id": "p1",
            "name": "Wireless Headphones",
            "description": "Noise cancelling",
            "category": "audio",
            "price": 99.0,
            "stock": 2,
            "createdAt": datetime(2026, 1, 1, tzinfo=UTC),
            "version": 3,
        }
    )
    return {
        "hits": {
            "total": {"value": 1},
            "hits": [{"_id": "p1", "_score": 2.5, "_source": source, "highlight": {}}],
        },
        "aggregations": {
            "category": {"buckets": [{"key": "audio", "doc_count": 1}]},
            "price": {"ranges": {"buckets": [{"key": "50-100", "doc_count": 1}]}},
        },
    }


def test_answers_are_shaped_and_marked_when_the_engine_did_not() -> None:
    q = SearchQuery(q="wireles headphnes")
    result = from_es(q, answer())  # type: ignore[arg-type]
    SearchResult.model_validate(result)
    hit = result["results"][0]
    assert hit["_id"] == "p1" and "specText" not in hit and "deleted" not in hit
    assert hit["highlight"]["name"] == ["<em>Wireless</em> <em>Headphones</em>"]
    assert result["facets"]["category"] == [{"value": "audio", "count": 1}]
    prices = {f["key"]: f["count"] for f in result["facets"]["price"]}
    assert prices["50-100"] == 1 and prices["*-25"] == 0


def test_highlights_escape_html_and_tolerate_typos() -> None:
    assert highlight("<b>Kettle</b> & cup", "kettel") == [
        "&lt;b&gt;<em>Kettle</em>&lt;/b&gt; &amp; cup"
    ]
    assert highlight("Tea & Coffee", "amp") == []
    assert highlight("anything", "") == []


def test_edit_distance_stops_early() -> None:
    assert edit_distance("kitten", "sitting", 3) == 3
    assert edit_distance("kitten", "sitting", 1) == 2  # over the limit: limit + 1
    assert edit_distance("a", "abcdef", 2) == 3


def test_the_fallback_matches_words_never_raw_regex_and_needs_every_word() -> None:
    found = mongo_filter(SearchQuery(q="node.js (pro)*", inStock=False))
    clauses = found["$and"]
    assert [c["$or"][0]["name"]["$regex"] for c in clauses[:-1]] == ["node", "js", "pro"]
    assert clauses[-1] == {"stock": {"$lte": 0}}
    assert mongo_filter(SearchQuery()) == {}


def test_the_fallback_counts_facets_and_says_it_is_degraded() -> None:
    docs = [
        {"_id": "a", "name": "Red kettle", "category": "kitchen", "price": 30.0, "stock": 1},
        {"_id": "b", "name": "Red mug", "category": "kitchen", "price": 8.0, "stock": 1},
        {"_id": "c", "name": "Red shoe", "category": "shoes", "price": 80.0, "stock": 1},
    ]
    for doc in docs:
        doc.update(createdAt=datetime(2026, 1, 1, tzinfo=UTC), version=1)
    result = from_mongo(SearchQuery(q="red", category="kitchen"), 2, docs[:2], docs)
    assert result["source"] == "mongo" and result["degraded"] is True
    assert result["facets"]["category"] == [
        {"value": "kitchen", "count": 2},
        {"value": "shoes", "count": 1},
    ]
    prices = {f["key"]: f["count"] for f in result["facets"]["price"]}
    assert prices["*-25"] == 1 and prices["25-50"] == 1 and prices["50-100"] == 0
    SearchResult.model_validate(result)


def test_a_tombstone_is_only_id_version_and_flag() -> None:
    assert tombstone("p1", 7) == {"productId": "p1", "version": 7, "deleted": True}
