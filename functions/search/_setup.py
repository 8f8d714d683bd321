"""Search one-time setup: the product index and its alias (skipped without Elasticsearch).

An engine that has no index yet (a first start, fresh data) gets one filled from MongoDB, so
products created while it was away are searchable without a manual `shopfn reindex`.
"""

from __future__ import annotations

import contextlib

from opensearchpy.exceptions import TransportError

from functions.search import mapping
from functions.search.reindex import reindex
from shopfn.config import settings
from shopfn.stores import es_client


def setup() -> None:
    if not settings().elasticsearch_url:
        return
    # Search degrades to MongoDB when the engine is down; it must not stop the platform's start.
    with contextlib.suppress(TransportError):
        if not es_client().indices.exists_alias(name=mapping.alias()):
            reindex(say=lambda _: None)
