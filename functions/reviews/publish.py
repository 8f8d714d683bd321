"""Review events."""

from __future__ import annotations

from typing import Any

from shopfn.events import new_event, publish


def review_event(kind: str, doc: dict[str, Any]) -> None:
    data = {
        "reviewId": doc["_id"],
        "productId": doc["productId"],
        "userId": doc["userId"],
        "rating": doc["rating"],
    }
    publish(new_event(f"shop.review.{kind}.v1", data, subject=doc["productId"]))
