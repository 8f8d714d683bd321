"""Reviews one-time setup: the unique (product, user) index."""

from __future__ import annotations

from functions.reviews.store import ensure_indexes


def setup() -> None:
    ensure_indexes()
