"""The rating arithmetic and its version-guarded refresh loop."""

from __future__ import annotations

from typing import Any

import pytest

from functions.reviews.models import ReviewCreate
from functions.reviews.rating import needs_update, refresh, summary


def test_summary_rounds_and_handles_no_reviews() -> None:
    assert summary(11, 3) == (3.67, 3)
    assert summary(0, 0) == (0.0, 0)


def test_needs_update_only_on_a_change() -> None:
    product = {"rating": 3.67, "ratingCount": 3}
    assert not needs_update(product, 3.67, 3)
    assert needs_update(product, 3.67, 4)
    assert needs_update({}, 5.0, 1)


class Catalog:
    """An in-memory product with a version, standing in for the pure loop's inputs."""

    def __init__(self, stars: tuple[float, int], races: int = 0) -> None:
        self.product: dict[str, Any] = {"_id": "p", "version": 1, "rating": 0.0, "ratingCount": 0}
        self.stars = stars
        self.races = races
        self.writes = 0

    def load(self, _: str) -> dict[str, Any]:
        return dict(self.product)

    def aggregate(self, _: str) -> tuple[float, int]:
        return self.stars

    def write(self, _: str, version: int, rating: float, count: int) -> dict[str, Any] | None:
        if self.races:  # someone else changed the product in between
            self.races -= 1
            self.product["version"] += 1
            return None
        if version != self.product["version"]:
            return None
        self.writes += 1
        self.product.update(rating=rating, ratingCount=count, version=version + 1)
        return dict(self.product)


def test_refresh_writes_once_and_a_replay_changes_nothing() -> None:
    catalog = Catalog((9, 2))
    updated = refresh("p", catalog.load, catalog.aggregate, catalog.write)
    assert updated is not None and updated["rating"] == 4.5 and updated["version"] == 2
    assert refresh("p", catalog.load, catalog.aggregate, catalog.write) is None
    assert catalog.writes == 1


def test_refresh_counts_again_when_it_loses_a_race() -> None:
    catalog = Catalog((5, 1), races=2)
    updated = refresh("p", catalog.load, catalog.aggregate, catalog.write)
    assert updated is not None and updated["ratingCount"] == 1


def test_refresh_gives_up_after_endless_races_so_the_broker_retries() -> None:
    catalog = Catalog((5, 1), races=99)
    with pytest.raises(RuntimeError):
        refresh("p", catalog.load, catalog.aggregate, catalog.write)


@pytest.mark.parametrize("body", [{"rating": 0}, {"rating": 6}, {"rating": True}, {}])
def test_reviews_are_one_to_five_stars(body: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ReviewCreate.model_validate(body)
