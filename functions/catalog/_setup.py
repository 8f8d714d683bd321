"""Catalog one-time setup: the indexes the filters and sorts use."""

from __future__ import annotations

from functions.catalog.store import ensure_indexes


def setup() -> None:
    ensure_indexes()
