"""Pure translation of a search into an Elasticsearch request, and of its answer back.

Also the MongoDB fallback's filter and the highlighter used when a store gives none (the
fallback, and fuzzy matches the engine does not mark).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from functions.search.models import SearchQuery

PRICE_RANGES: tuple[tuple[float | None, float | None], ...] = (
    (None, 25),
    (25, 50),
    (50, 100),
    (100, 250),
    (250, 500),
    (500, 1000),
    (1000, None),
)
TEXT_FIELDS = [
    "name^3",
    "name.plain^2",
    "category^2",
    "description",
    "description.plain",
    "specText",
]
# Typos are forgiven in what shoppers type, names and categories, and on unstemmed words only:
# a stem ("wirel") is the wrong word to forgive a typo against. Expanding every field's terms
# was most of a search's time (engine p95 14 ms; 7-10 ms with these two fields).
FUZZY_FIELDS = ["name.plain^2", "category^2"]
HIGHLIGHT_FIELDS = ("name", "description")
SORTS: dict[str, list[Any]] = {
    "relevance": ["_score", {"createdAt": "desc"}, {"productId": "asc"}],
    "newest": [{"createdAt": "desc"}, {"productId": "asc"}],
    "price-asc": [{"price": "asc"}, {"productId": "asc"}],
    "price-desc": [{"price": "desc"}, {"productId": "asc"}],
    "rating": [{"rating": "desc"}, {"ratingCount": "desc"}, {"productId": "asc"}],
}


def price_key(low: float | None, high: float | None) -> str:
    return f"{'*' if low is None else f'{low:g}'}-{'*' if high is None else f'{high:g}'}"


def _filters(q: SearchQuery, *, with_category: bool) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if with_category and q.category:
        found.append({"term": {"category": q.category}})
    price: dict[str, float] = {}
    if q.minPrice is not None:
        price["gte"] = q.minPrice
    if q.maxPrice is not None:
        price["lte"] = q.maxPrice
    if price:
        found.append({"range": {"price": price}})
    if q.inStock is True:
        found.append({"range": {"stock": {"gt": 0}}})
    elif q.inStock is False:
        found.append({"range": {"stock": {"lte": 0}}})
    return found


def es_request(q: SearchQuery) -> dict[str, Any]:
    """The search body: text with typo tolerance, filters, facets and highlights.

    The category filter is a post_filter, so the category facet still counts every category
    the text matches (a shopper can switch category); the price facet honours it.
    """
    text = _text_query(q.q) if q.q else {"match_all": {}}
    body: dict[str, Any] = {
        "query": {
            "bool": {
                "must": [text],
                "filter": _filters(q, with_category=False),
                "must_not": [{"term": {"deleted": True}}],
            }
        },
        "sort": SORTS["newest" if q.sort == "relevance" and not q.q else q.sort],
        "from": (q.page - 1) * q.pageSize,
        "size": q.pageSize,
        "track_total_hits": True,
        "aggs": {
            "category": {"terms": {"field": "category", "size": 50}},
            "price": {
                "filter": {"bool": {"filter": _filters(q, with_category=True)}}
                if q.category
                else {"match_all": {}},
                "aggs": {"ranges": {"range": {"field": "price", "ranges": _es_ranges()}}},
            },
        },
    }
    if q.category:
        body["post_filter"] = {"term": {"category": q.category}}
    if q.q:
        body["highlight"] = {
            "fields": {f: {} for name in HIGHLIGHT_FIELDS for f in (name, f"{name}.plain")},
            "pre_tags": ["<em>"],
            "post_tags": ["</em>"],
            "encoder": "html",
        }
    return body


def _text_query(text: str) -> dict[str, Any]:
    """Every word must match; an exact match scores on top of the typo-tolerant one."""
    words = {"query": text, "operator": "and"}
    fuzzy = {"fuzziness": "AUTO", "prefix_length": 1, "max_expansions": 20}
    return {
        "bool": {
            "should": [
                {"multi_match": {**words, "fields": TEXT_FIELDS}},
                {"multi_match": {**words, "fields": FUZZY_FIELDS, **fuzzy}},
            ],
            "minimum_should_match": 1,
        }
    }


def _es_ranges() -> list[dict[str, Any]]:
    ranges = []
    for low, high in PRICE_RANGES:
        item: dict[str, Any] = {"key": price_key(low, high)}
        if low is not None:
            item["from"] = low
        if high is not None:
            item["to"] = high
        ranges.append(item)
    return ranges


def _terms(text: str) -> list[str]:
    return [t for t in re.findall(r"\w+", text.lower()) if len(t) > 1]


def allowed_edits(term: str) -> int:
    """Elasticsearch's AUTO fuzziness: 0 edits up to 2 letters, 1 up to 5, else 2."""
    return 0 if len(term) <= 2 else 1 if len(term) <= 5 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of `a` and `b`, or `limit + 1` once it is known to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def matches(word: str, terms: list[str]) -> bool:
    """A word matches a query term it starts with, or one within the term's typo allowance."""
    word = word.lower()
    return any(
        word.startswith(t) or edit_distance(word, t, allowed_edits(t)) <= allowed_edits(t)
        for t in terms
    )


def highlight(text: str, query: str) -> list[str]:
    """`text` HTML-escaped with the words matching the query in <em>; [] when none match."""
    terms = _terms(query)
    if not terms or not text:
        return []
    parts, hit = [], False
    # Split the raw text, escape each piece: marking escaped text could mark "amp" in "&amp;".
    for i, piece in enumerate(re.split(r"(\w+)", text)):
        is_word = i % 2 == 1
        if is_word and matches(piece, terms):
            parts.append(f"<em>{html.escape(piece)}</em>")
            hit = True
        else:
            parts.append(html.escape(piece))
    return ["".join(parts)] if hit else []


def _with_highlights(hit: dict[str, Any], given: dict[str, list[str]], query: str) -> None:
    marks: dict[str, list[str]] = {}
    for key, fragments in given.items():
        field = key.split(".")[0]  # name.plain marks the same text as name
        if field in HIGHLIGHT_FIELDS and fragments:
            marks.setdefault(field, fragments)
    if query and not marks:
        for name in HIGHLIGHT_FIELDS:
            found = highlight(str(hit.get(name, "")), query)
            if found:
                marks[name] = found
    hit["highlight"] = marks


def from_es(q: SearchQuery, answer: dict[str, Any]) -> dict[str, Any]:
    """The API's result from an Elasticsearch answer."""
    results = []
    for raw in answer["hits"]["hits"]:
        src = dict(raw["_source"])
        hit = {"_id": src.pop("productId", raw["_id"]), **src, "score": raw.get("_score")}
        for internal in ("specText", "deleted", "version", "updatedAt"):
            hit.pop(internal, None)
        _with_highlights(hit, raw.get("highlight") or {}, q.q)
        results.append(hit)
    aggs = answer.get("aggregations", {})
    categories = [
        {"value": b["key"], "count": b["doc_count"]}
        for b in aggs.get("category", {}).get("buckets", [])
    ]
    counts = {
        b["key"]: b["doc_count"] for b in aggs.get("price", {}).get("ranges", {}).get("buckets", [])
    }
    return _result(
        q, "elasticsearch", answer["hits"]["total"]["value"], results, categories, counts
    )


def _result(
    q: SearchQuery,
    source: str,
    total: int,
    results: list[dict[str, Any]],
    categories: list[dict[str, Any]],
    price_counts: dict[str, int],
) -> dict[str, Any]:
    price = [
        {
            "key": price_key(low, high),
            "from": low,
            "to": high,
            "count": price_counts.get(price_key(low, high), 0),
        }
        for low, high in PRICE_RANGES
    ]
    return {
        "source": source,
        "degraded": source != "elasticsearch",
        "total": total,
        "page": q.page,
        "pageSize": q.pageSize,
        "results": results,
        "facets": {"category": categories, "price": price},
    }


def mongo_filter(q: SearchQuery, *, with_category: bool = True) -> dict[str, Any]:
    """The fallback's MongoDB filter: every query word in the name or description."""
    clauses: list[dict[str, Any]] = []
    for term in _terms(q.q):
        regex = {"$regex": re.escape(term), "$options": "i"}
        clauses.append({"$or": [{"name": regex}, {"description": regex}, {"category": regex}]})
    if with_category and q.category:
        clauses.append({"category": q.category})
    price: dict[str, float] = {}
    if q.minPrice is not None:
        price["$gte"] = q.minPrice
    if q.maxPrice is not None:
        price["$lte"] = q.maxPrice
    if price:
        clauses.append({"price": price})
    if q.inStock is not None:
        clauses.append({"stock": {"$gt": 0} if q.inStock else {"$lte": 0}})
    return {"$and": clauses} if clauses else {}


def from_mongo(
    q: SearchQuery, total: int, page: Iterable[dict[str, Any]], facet_docs: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """The API's result from the fallback: a page and the docs the facets are counted over."""
    results = []
    for doc in page:
        hit = {k: v for k, v in doc.items() if k != "version" and k != "updatedAt"}
        hit["_id"] = str(doc["_id"])
        hit["score"] = None
        _with_highlights(hit, {}, q.q)
        results.append(hit)
    categories: Counter[str] = Counter()
    prices: Counter[str] = Counter()
    for doc in facet_docs:
        categories[str(doc.get("category"))] += 1
        if q.category and doc.get("category") != q.category:
            continue
        price = float(doc.get("price", 0))
        for low, high in PRICE_RANGES:
            if (low is None or price >= low) and (high is None or price < high):
                prices[price_key(low, high)] += 1
    facet_list = [{"value": k, "count": n} for k, n in categories.most_common(50)]
    return _result(q, "mongo", total, results, facet_list, dict(prices))
