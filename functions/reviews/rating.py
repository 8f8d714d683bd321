"""The product's rating from its visible reviews: pure arithmetic, then a guarded write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

RETRIES = 5


def summary(total_stars: float, count: int) -> tuple[float, int]:
    """(average rounded to 2 places, count); 0.0 for no reviews."""
    if count <= 0:
        return 0.0, 0
    return round(total_stars / count, 2), count


def needs_update(product: dict[str, Any], rating: float, count: int) -> bool:
    return bool(
        product.get("ratingCount", 0) != count or abs(product.get("rating", 0.0) - rating) > 1e-9
    )


def refresh(
    product_id: str,
    load_product: Callable[[str], dict[str, Any] | None],
    aggregate: Callable[[str], tuple[float, int]],
    write_if_version: Callable[[str, int, float, int], dict[str, Any] | None],
) -> dict[str, Any] | None:
    """Recompute and store the rating; the updated product, or None when nothing changed.

    Recomputing from the reviews (not adding deltas) makes a redelivered event harmless; the
    product's version read before counting guards the write, so two concurrent refreshes cannot
    leave an older count behind: the loser sees the version moved and counts again.
    """
    for _ in range(RETRIES):
        product = load_product(product_id)
        if product is None:
            return None
        rating, count = summary(*aggregate(product_id))
        if not needs_update(product, rating, count):
            return None
        updated = write_if_version(product_id, int(product.get("version", 1)), rating, count)
        if updated is not None:
            return updated
    raise RuntimeError(f"rating of {product_id} kept changing; the broker will retry")
