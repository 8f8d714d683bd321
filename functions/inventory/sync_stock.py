"""Consumer of shop.product.updated.v1: an admin's new stock figure becomes the stock to sell.

Reservations decrement inventory's own row (and mirror it to the catalog), so the catalog's
stock is what an admin sees and edits; a newer catalog version replaces inventory's figure.
"""

from __future__ import annotations

from cloudevents.http import CloudEvent

from functions.inventory.store import set_stock
from functions.saga.db import transaction
from shopfn.events import event_data
from shopfn.registry import Scale, on_event


@on_event("shop.product.updated.v1", scale=Scale(max=2), stores=("postgres",))
def inventory_sync_stock(event: CloudEvent) -> None:
    """Take a product's stock from a catalog update, if it is newer than what we hold."""
    data = event_data(event)
    if "stock" not in data:
        return
    with transaction() as cur:
        set_stock(cur, str(data["productId"]), int(data["stock"]), int(data["version"]))
