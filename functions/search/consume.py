"""What the indexer consumers do with product events: a version-guarded index write."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.search import index, mapping
from shopfn.events import event_data


def upsert(event: CloudEvent) -> bool:
    """Index the product as the event describes it, unless the index is newer already."""
    data = event_data(event)
    return index.write(data["productId"], int(data["version"]), mapping.document(data))


def remove(event: CloudEvent) -> bool:
    """Replace the product by a tombstone at the deletion's version."""
    data = event_data(event)
    product_id, version = data["productId"], int(data["version"])
    return index.write(product_id, version, mapping.tombstone(product_id, version))
