"""GET /api/search: full-text product search with filters, facets and highlights."""

from __future__ import annotations

import logging
from typing import Any

from opensearchpy.exceptions import TransportError

from functions.catalog.store import products
from functions.search import index
from functions.search.models import SearchQuery, SearchResult
from functions.search.query import es_request, from_es, from_mongo, mongo_filter
from shopfn import logs
from shopfn.registry import Scale, http
from shopfn.stores import StoreNotConfigured
from shopfn.web import Request

log = logs.get_logger("search.products")
FACET_SAMPLE = 2000  # the fallback counts facets over at most this many matches


def search_mongo(q: SearchQuery) -> dict[str, Any]:
    """The degraded answer: regex matching in MongoDB, no ranking, facets over a sample."""
    found = mongo_filter(q)
    sort = {
        "price-asc": [("price", 1)],
        "price-desc": [("price", -1)],
        "rating": [("rating", -1)],
    }.get(q.sort, [("createdAt", -1)])
    page = (
        products()
        .find(found)
        .sort([*sort, ("_id", 1)])
        .skip((q.page - 1) * q.pageSize)
        .limit(q.pageSize)
    )
    sample = (
        products()
        .find(mongo_filter(q, with_category=False), {"category": 1, "price": 1})
        .limit(FACET_SAMPLE)
    )
    return from_mongo(q, products().count_documents(found), list(page), list(sample))


def degraded_reason(exc: TransportError) -> str:
    """Why MongoDB answers instead; an error in the request itself is raised again."""
    status = exc.status_code
    if not isinstance(status, int):  # no HTTP answer at all: refused, reset, timed out
        return f"search engine unreachable: {type(exc).__name__}"
    if status not in (404, 429) and status < 500:
        raise exc
    return f"search engine answered {status}"


@http(
    "GET",
    "/api/search",
    query=SearchQuery,
    response=SearchResult,
    limit="search",
    scale=Scale(max=20, concurrency=80),
    stores=("elasticsearch", "mongo"),
    tags=("search",),
)
def search_products(req: Request) -> dict[str, Any]:
    """Search products; answers from MongoDB (saying so) when Elasticsearch is unreachable."""
    q: SearchQuery = req.args
    try:
        return from_es(q, index.search(es_request(q)))
    except StoreNotConfigured as exc:
        reason = f"search engine unreachable: {type(exc).__name__}"
    except TransportError as exc:
        reason = degraded_reason(exc)
    logs.log_event(log, "search degraded to mongo", logging.WARNING, reason=reason)
    result = search_mongo(q)
    result["notice"] = reason
    return result
