"""What every catalog cache consumer does with a product event: forget the product."""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.catalog.store import invalidate
from shopfn.events import event_data


def forget(event: CloudEvent) -> None:
    # Deleting keys is idempotent: a redelivered event only costs one more cache miss.
    invalidate(str(event_data(event)["productId"]))
