"""Search one-time setup: the product index and its alias (skipped without Elasticsearch)."""

from __future__ import annotations

import contextlib

from opensearchpy.exceptions import TransportError

from functions.search.index import ensure_index
from shopfn.config import settings


def setup() -> None:
    if not settings().elasticsearch_url:
        return
    # Search degrades to MongoDB when the engine is down; it must not stop the platform's start.
    with contextlib.suppress(TransportError):
        ensure_index()
