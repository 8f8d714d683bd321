"""CloudEvents in and out: build with the SDK, check data against `events/`, one `publish`."""

from __future__ import annotations

import functools
import json
import os
import threading
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent

from shopfn import tracing
from shopfn.config import settings
from shopfn.errors import ApiError
from shopfn.metrics import events_published

EVENT_TYPE_PREFIX = "shop."
LocalSink = Callable[[CloudEvent], None]
_local_sink: LocalSink | None = None
_http_local = threading.local()


class EventError(ApiError):
    """An event that breaks its schema or lacks what it needs: never retried, never published."""

    def __init__(self, detail: str) -> None:
        super().__init__(400, detail, code="invalid-event")


def events_dir() -> Path:
    override = os.environ.get("SHOPFN_EVENTS_DIR")
    return Path(override) if override else Path(__file__).resolve().parents[2] / "events"


@functools.cache
def _validator(event_type: str) -> Any:
    from jsonschema import Draft202012Validator

    path = events_dir() / f"{event_type}.json"
    if not path.is_file():
        raise EventError(f"no schema for event type {event_type!r} in events/")
    schema = json.loads(path.read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def validate_data(event_type: str, data: Any) -> None:
    """Raise EventError when `data` does not match `events/<event_type>.json`."""
    errors = sorted(_validator(event_type).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        where = "/".join(str(p) for p in errors[0].path) or "(root)"
        raise EventError(f"{event_type} data invalid at {where}: {errors[0].message}")


def _function_name() -> str:
    """The publishing function: the one serving right now (in-process), else this process's."""
    from shopfn.logs import function_var

    return function_var.get() or settings().function_name or "shopfn"


def new_event(
    event_type: str,
    data: Mapping[str, Any],
    *,
    subject: str,
    source: str | None = None,
    partitionkey: str | None = None,
    event_id: str | None = None,
) -> CloudEvent:
    """A CloudEvent of a shop event type, checked against its schema, in the current trace."""
    payload = json.loads(json.dumps(dict(data), default=str))
    validate_data(event_type, payload)
    attributes: dict[str, Any] = {
        "id": event_id or str(uuid.uuid4()),
        "type": event_type,
        "source": source or f"/shopfn/{_function_name()}",
        "subject": subject,
        "time": datetime.now(UTC).isoformat(),
        "datacontenttype": "application/json",
        "partitionkey": partitionkey or subject,
    }
    trace = tracing.current()
    if trace:
        attributes["traceparent"] = trace
    return CloudEvent(attributes, payload)


def set_local_sink(sink: LocalSink | None) -> None:
    """The emulator's in-process broker takes events here when no other transport is set."""
    global _local_sink
    _local_sink = sink


def _transport() -> str:
    cfg = settings()
    if cfg.k_sink:
        return "http"
    if cfg.event_transport == "kafka":
        return "kafka"
    if cfg.broker_url:
        return "http"
    if _local_sink is not None:
        return "local"
    raise ApiError(
        503, "no event transport: set K_SINK, SHOPFN_BROKER_URL or SHOPFN_EVENT_TRANSPORT"
    )


def _http_session() -> Any:
    session = getattr(_http_local, "session", None)
    if session is None:
        import requests

        session = _http_local.session = requests.Session()
    return session


def _publish_http(event: CloudEvent) -> None:
    cfg = settings()
    headers, body = to_binary(event)
    answer = _http_session().post(
        cfg.k_sink or cfg.broker_url,
        headers=headers,
        data=body,
        timeout=(cfg.connect_timeout, cfg.request_timeout),
    )
    if answer.status_code >= 300:
        raise ApiError(502, f"broker refused event {event['id']}: {answer.status_code}")


def _publish_kafka(event: CloudEvent) -> None:
    from cloudevents.kafka import to_binary as to_kafka

    from shopfn.stores import kafka_producer

    message = to_kafka(event, key_mapper=lambda e: e.get("partitionkey") or e["id"])
    key = message.key.encode() if isinstance(message.key, str) else message.key
    headers = [
        (k, v if isinstance(v, bytes) else str(v).encode()) for k, v in message.headers.items()
    ]
    kafka_producer().send(
        settings().kafka_topic, value=message.value, key=key, headers=headers
    ).get(timeout=settings().request_timeout)


def publish(event: CloudEvent) -> None:
    """Send `event` on the transport the environment names. Raises if it was not accepted."""
    transport = _transport()
    if transport == "http":
        _publish_http(event)
    elif transport == "kafka":
        _publish_kafka(event)
    else:
        assert _local_sink is not None
        _local_sink(event)
    events_published.labels(event["type"], transport).inc()


def event_data(event: CloudEvent) -> dict[str, Any]:
    """The event's JSON data as a dict (empty when absent)."""
    data = event.get_data()
    if isinstance(data, (bytes, str)):
        data = json.loads(data) if data else {}
    return dict(data or {})
