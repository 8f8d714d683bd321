"""The reviews collection; one review per (product, user) enforced by a unique index."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from pymongo import ReturnDocument
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from functions.catalog.store import products, update_product
from shopfn.errors import conflict
from shopfn.stores import mongo_db


def reviews() -> Collection[dict[str, Any]]:
    # Not cached: the collection must follow the client when `reset_clients()` replaces it.
    return mongo_db()["reviews"]


def ensure_indexes() -> None:
    reviews().create_index(
        [("productId", 1), ("userId", 1)], unique=True, name="one_review_per_user"
    )
    reviews().create_index([("productId", 1), ("createdAt", -1)], name="product_newest")


def insert_review(product_id: str, user_id: str, user_name: str, body: Any) -> dict[str, Any]:
    doc = {
        "_id": uuid.uuid4().hex,
        "productId": product_id,
        "userId": user_id,
        "userName": user_name,
        **body.model_dump(),
        "hidden": False,
        "createdAt": datetime.now(UTC).replace(microsecond=0),
    }
    try:
        reviews().insert_one(doc)
    except DuplicateKeyError:
        raise conflict("you have already reviewed this product") from None
    return doc


def page_of_reviews(product_id: str, page: int, size: int) -> tuple[list[dict[str, Any]], int]:
    visible = {"productId": product_id, "hidden": False}
    cursor = (
        reviews()
        .find(visible)
        .sort([("createdAt", -1), ("_id", 1)])
        .skip((page - 1) * size)
        .limit(size)
    )
    return list(cursor), reviews().count_documents(visible)


def hide_review(review_id: str) -> tuple[dict[str, Any] | None, bool]:
    """(the review, whether this call hid it); (None, False) when there is no such review."""
    hidden = reviews().find_one_and_update(
        {"_id": review_id, "hidden": False},
        {"$set": {"hidden": True, "hiddenAt": datetime.now(UTC)}},
        return_document=ReturnDocument.AFTER,
    )
    if hidden is not None:
        return hidden, True
    return reviews().find_one({"_id": review_id}), False


def stars(product_id: str) -> tuple[float, int]:
    """(sum of stars, count) of the product's visible reviews."""
    # FerretDB 1.24 has no $avg accumulator: sum and count, divided by the caller.
    rows = list(
        reviews().aggregate(
            [
                {"$match": {"productId": product_id, "hidden": False}},
                {"$group": {"_id": None, "stars": {"$sum": "$rating"}, "n": {"$sum": 1}}},
            ]
        )
    )
    return (float(rows[0]["stars"]), int(rows[0]["n"])) if rows else (0.0, 0)


def load_product(product_id: str) -> dict[str, Any] | None:
    return products().find_one({"_id": product_id})


def write_rating(product_id: str, version: int, rating: float, count: int) -> dict[str, Any] | None:
    return update_product(
        product_id, {"rating": rating, "ratingCount": count}, expected={"version": version}
    )
