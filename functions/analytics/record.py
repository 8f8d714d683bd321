"""Consumer of every shop event: count it by type and hour, and its sales, exactly once."""

from __future__ import annotations

from datetime import UTC, datetime

from cloudevents.http import CloudEvent

from functions.analytics.facts import facts_of
from functions.analytics.store import analytics_store
from shopfn.events import EVENT_TYPE_PREFIX, event_data
from shopfn.registry import Delivery, on_event

NAME = "analytics-record"


def event_time(event: CloudEvent) -> datetime:
    """When the event happened (its `time` attribute), else when it arrived."""
    raw = event.get("time")
    return datetime.fromisoformat(str(raw)) if raw else datetime.now(UTC)


# Cassandra starts in the background (20-40 s) and may restart: until it answers this consumer
# fails with 5xx and the broker keeps retrying, 1 s, 2 s, 4 s ... about 17 minutes in all.
@on_event(
    EVENT_TYPE_PREFIX,
    prefix=True,
    delivery=Delivery(retries=10, backoff="exponential", delay=0.5),
    stores=("cassandra",),
    name=NAME,
)
def analytics_record(event: CloudEvent) -> None:
    """Count every shop event (by type and hour) and its sales, once per event id."""
    facts = facts_of(str(event["type"]), event_data(event), event_time(event))
    analytics_store().record(str(event["source"]), str(event["id"]), facts)
