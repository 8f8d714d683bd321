"""OpenTelemetry traces, carried from HTTP into events and back out (W3C `traceparent`).

Every HTTP request and every event delivery is one SERVER/CONSUMER span (`enter`/`leave`, called
by shopfn.web); its parent is the incoming `traceparent` header or CloudEvents extension, so one
user action is one trace across every function it reaches. `events.new_event` stamps `current()`
on each event it builds.

Spans go to a bounded in-memory buffer (the emulator's trace view at `/_shopfn/traces`; size
SHOPFN_TRACE_BUFFER, 0 turns it off), to SHOPFN_TRACE_SINK when set (the isolated emulator's
function processes send their spans to the gateway's view that way) and, when
OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set, to that collector
over OTLP/HTTP.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import secrets
import threading
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from shopfn.config import settings

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_PROPAGATOR = TraceContextTextMapPropagator()
FUNCTION_ATTRIBUTE = "faas.name"
OTLP_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")


def parse(traceparent: str) -> tuple[str, str, str] | None:
    """(trace id, parent span id, flags) of a valid header, else None."""
    match = _TRACEPARENT.match(traceparent.strip().lower()) if traceparent else None
    if not match or match.group(1) == "0" * 32 or match.group(2) == "0" * 16:
        return None
    return match.group(1), match.group(2), match.group(3)


def child_of(traceparent: str) -> str:
    """A traceparent for a new span: same trace as `traceparent` if valid, else a new trace."""
    parsed = parse(traceparent)
    trace_id = parsed[0] if parsed else secrets.token_hex(16)
    flags = parsed[2] if parsed else "01"
    return f"00-{trace_id}-{secrets.token_hex(8)}-{flags}"


# --- the provider: created on first use, once per process -----------------------------------


@functools.cache
def memory_exporter() -> InMemorySpanExporter | None:
    """The in-memory buffer of finished spans (None when SHOPFN_TRACE_BUFFER=0)."""
    size = int(settings().get("TRACE_BUFFER", "5000"))
    return InMemorySpanExporter(max_spans=size) if size > 0 else None


@functools.cache
def provider() -> TracerProvider:
    cfg = settings()
    resource = Resource.create(
        {
            "service.name": cfg.function_name or "shopfn",
            "service.namespace": "shopfn",
            "deployment.environment": cfg.environment,
        }
    )
    tracer_provider = TracerProvider(resource=resource)
    buffer = memory_exporter()
    if buffer is not None:
        tracer_provider.add_span_processor(SimpleSpanProcessor(buffer))
    if sink := cfg.get("TRACE_SINK"):
        # Short delay: a developer looks at the trace view right after the request.
        tracer_provider.add_span_processor(
            BatchSpanProcessor(SinkExporter(sink), schedule_delay_millis=200)
        )
    if any(os.environ.get(name) for name in OTLP_VARIABLES):
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        # The exporter reads the endpoint, headers and timeout from the OTEL_* variables.
        tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return tracer_provider


def tracer() -> trace.Tracer:
    return provider().get_tracer("shopfn")


# --- the current span ------------------------------------------------------------------------


def current() -> str:
    """The `traceparent` of the current span ("" outside any span)."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent", "")


def current_trace_id() -> str:
    context = trace.get_current_span().get_span_context()
    return trace.format_trace_id(context.trace_id) if context.is_valid else ""


@dataclass
class Scope:
    """An entered span; give it back to `leave`."""

    span: trace.Span
    token: object


def enter(
    incoming: str,
    name: str = "shopfn",
    *,
    kind: SpanKind = SpanKind.SERVER,
    attributes: Mapping[str, Any] | None = None,
) -> Scope:
    """Start a span under `incoming` (or as the root of a new trace) and make it current."""
    # An explicit empty context: a function invocation's parent is its traceparent, never
    # whatever span the calling thread happens to have (the in-process emulator).
    parent = (
        _PROPAGATOR.extract({"traceparent": incoming.strip().lower()})
        if parse(incoming)
        else otel_context.Context()
    )
    span = tracer().start_span(name, context=parent, kind=kind, attributes=attributes)
    token = otel_context.attach(trace.set_span_in_context(span, parent))
    return Scope(span, token)


def leave(scope: Scope, *, error: str = "", attributes: Mapping[str, Any] | None = None) -> None:
    """End the span of `scope` (marked failed with `error`) and restore the previous one."""
    if attributes:
        scope.span.set_attributes(attributes)
    if error:
        scope.span.set_status(Status(StatusCode.ERROR, error))
    scope.span.end()
    otel_context.detach(scope.token)  # type: ignore[arg-type]


def rename(name: str, **attributes: Any) -> None:
    """Give the current span its final name once the route or event type is known."""
    span = trace.get_current_span()
    span.update_name(name)
    if attributes:
        span.set_attributes(attributes)


@contextlib.contextmanager
def span(name: str, **attributes: Any) -> Iterator[trace.Span]:
    """An internal child span of the current one (a store call, a saga step)."""
    with tracer().start_as_current_span(name, attributes=attributes) as inner:
        yield inner


# --- the trace view's data -------------------------------------------------------------------
# A span record is a plain dict (JSON-safe), so isolated function processes can send theirs to
# the emulator's gateway (SHOPFN_TRACE_SINK) and the view groups local and received alike.

_received: deque[dict[str, Any]] = deque(maxlen=20_000)
_received_lock = threading.Lock()


def span_record(item: ReadableSpan) -> dict[str, Any]:
    """One finished span as a JSON-safe dict."""
    context = item.get_span_context()
    assert context is not None
    attributes = dict(item.attributes or {})
    return {
        "trace_id": trace.format_trace_id(context.trace_id),
        "span_id": trace.format_span_id(context.span_id),
        "parent_id": trace.format_span_id(item.parent.span_id) if item.parent else "",
        "name": item.name,
        "function": str(attributes.get(FUNCTION_ATTRIBUTE, "")),
        "kind": item.kind.name.lower(),
        "start_ns": item.start_time or 0,
        "end_ns": item.end_time or item.start_time or 0,
        "error": item.status.status_code is StatusCode.ERROR,
        "attributes": {k: v for k, v in attributes.items() if isinstance(v, (str, int, float))},
    }


def group_traces(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Span records grouped by trace, newest trace first, spans in start order."""
    by_trace: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_trace.setdefault(record["trace_id"], []).append(record)
    traces: list[dict[str, Any]] = []
    for trace_id, members in by_trace.items():
        members.sort(key=lambda r: int(r["start_ns"]))
        start = int(members[0]["start_ns"])
        end = max(int(r["end_ns"]) for r in members)
        ids = {r["span_id"] for r in members}
        root = next((r for r in members if r["parent_id"] not in ids), members[0])
        spans = [
            {
                **{k: v for k, v in r.items() if k not in ("trace_id", "start_ns", "end_ns")},
                "offset_ms": round((int(r["start_ns"]) - start) / 1e6, 2),
                "duration_ms": round((int(r["end_ns"]) - int(r["start_ns"])) / 1e6, 2),
            }
            for r in members
        ]
        traces.append(
            {
                "trace_id": trace_id,
                "root": root["name"],
                "start_ns": start,
                "duration_ms": round((end - start) / 1e6, 2),
                "functions": sorted({s["function"] for s in spans if s["function"]}),
                "errors": sum(1 for s in spans if s["error"]),
                "spans": spans,
            }
        )
    traces.sort(key=lambda t: int(t["start_ns"]), reverse=True)
    return traces


def receive(records: list[dict[str, Any]]) -> None:
    """Keep span records another process sent (the gateway's `/_shopfn/traces/spans`)."""
    with _received_lock:
        _received.extend(records)


def recent_traces(limit: int = 50) -> list[dict[str, Any]]:
    """The newest traces: this process's buffer plus the records received from others."""
    buffer = memory_exporter()
    local = [span_record(s) for s in buffer.get_finished_spans()] if buffer else []
    with _received_lock:
        received = list(_received)
    return group_traces(local + received)[:limit]


def find_trace(trace_id: str) -> dict[str, Any] | None:
    """One trace by its hex id."""
    return next((t for t in recent_traces(limit=100_000) if t["trace_id"] == trace_id), None)


class SinkExporter(SpanExporter):
    """Posts span records as JSON to a URL: isolated function processes to the gateway."""

    def __init__(self, url: str, timeout: float = 2.0) -> None:
        self.url = url
        self.timeout = timeout

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        import requests

        try:
            answer = requests.post(
                self.url, json=[span_record(s) for s in spans], timeout=self.timeout
            )
        except requests.RequestException:
            return SpanExportResult.FAILURE
        return SpanExportResult.SUCCESS if answer.ok else SpanExportResult.FAILURE

    def shutdown(self) -> None:
        return None
