"""What web.py gives every function at the edge: headers, CORS, traces, logs, 503 on outages."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import flask
import pytest
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent
from pydantic import BaseModel

from shopfn import breaker, config, logs, tracing, web
from shopfn.breaker import CircuitBreaker
from shopfn.metrics import REGISTRY
from shopfn.registry import FunctionSpec

APP = flask.Flask("test-web-edge")
INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def _spec(handler: Callable[..., Any], **overrides: Any) -> FunctionSpec:
    fields: dict[str, Any] = {
        "name": "unit-thing",
        "kind": "http",
        "handler": handler,
        "module": "tests.unit",
        "method": "GET",
        "path": "/api/things/{id}",
        "limit": "unit",
    }
    fields.update(overrides)
    return FunctionSpec(**fields)


def _call(spec: FunctionSpec, path: str, method: str = "GET", **kwargs: Any) -> flask.Response:
    with APP.test_request_context(path, method=method, **kwargs):
        return web.handle(spec, flask.request)


class JsonLines(logging.Handler):
    """Formats at emit time, as the real handler does, while the request's context is live."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(logs.JsonFormatter())
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@pytest.fixture
def log_lines() -> Iterator[list[dict[str, Any]]]:
    handler = JsonLines()
    logger = logging.getLogger("shopfn.web")
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield handler.lines
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture(autouse=True)
def no_redis(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Without a Redis the limiter is off: these tests are about everything else."""
    monkeypatch.delenv("SHOPFN_REDIS_URL", raising=False)
    monkeypatch.delenv("SHOPFN_CORS_ORIGINS", raising=False)
    config.reload()
    yield
    monkeypatch.undo()
    config.reload()


def test_security_headers_on_success_and_on_errors_without_stack_traces() -> None:
    def boom(req: web.Request) -> None:
        raise RuntimeError("secret internals")

    ok = _call(_spec(lambda req: {"id": req.params["id"]}), "/api/things/7")
    failed = _call(_spec(boom), "/api/things/7")
    assert ok.status_code == 200 and failed.status_code == 500
    for resp in (ok, failed):
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["X-Frame-Options"] == "DENY"
        assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
        assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
        assert resp.headers["X-Request-Id"]
    body = failed.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert json.loads(body)["requestId"] == failed.headers["X-Request-Id"]


def test_cors_preflight_and_actual_response(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _spec(lambda req: {"ok": True})
    monkeypatch.setenv("SHOPFN_CORS_ORIGINS", "https://shop.example, http://localhost:5173")
    config.reload()
    pre = _call(
        spec,
        "/api/things/1",
        "OPTIONS",
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert pre.status_code == 204
    assert pre.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert pre.headers["Vary"] == "Origin"
    assert pre.headers["Access-Control-Allow-Methods"] == "GET"
    assert "Authorization" in pre.headers["Access-Control-Allow-Headers"]
    actual = _call(spec, "/api/things/1", headers={"Origin": "http://localhost:5173"})
    assert actual.headers["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert "RateLimit" in actual.headers["Access-Control-Expose-Headers"]
    stranger = _call(spec, "/api/things/1", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in stranger.headers


def test_a_request_continues_the_callers_trace_and_logs_its_ids(
    log_lines: list[dict[str, Any]],
) -> None:
    seen: dict[str, str] = {}

    def handler(req: web.Request) -> dict[str, str]:
        seen["traceparent"] = tracing.current()
        return {}

    resp = _call(
        _spec(handler),
        "/api/things/1",
        headers={"traceparent": INCOMING, "X-Request-Id": "r-1"},
    )
    trace_id, parent, _ = tracing.parse(INCOMING) or ("", "", "")
    answered = tracing.parse(resp.headers["traceparent"])
    assert answered is not None and answered[0] == trace_id and answered[1] != parent
    assert seen["traceparent"] == resp.headers["traceparent"]
    lines = [line for line in log_lines if line["msg"] == "request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["request_id"] == "r-1" and line["function"] == "unit-thing"
    assert line["trace_id"] == trace_id
    assert line["status"] == 200 and line["route"] == "/api/things/{id}"
    span = tracing.find_trace(trace_id)
    assert span is not None and span["spans"][0]["parent_id"] == parent
    assert span["functions"] == ["unit-thing"]


def test_an_open_circuit_becomes_503_with_retry_after() -> None:
    cb = CircuitBreaker("unit-store", failures=1, reset=30)

    def handler(req: web.Request) -> None:
        cb.record_failure()
        raise breaker.open_error(cb)

    resp = _call(_spec(handler), "/api/things/1")
    assert resp.status_code == 503
    assert 29 <= int(resp.headers["Retry-After"]) <= 30
    assert json.loads(resp.get_data())["type"].endswith("/dependency-unavailable")


def _event(**extra: str) -> tuple[dict[str, str], bytes]:
    attributes = {"type": "dev.unit.thing", "source": "/unit", "id": "ev-1", **extra}
    headers, body = to_binary(CloudEvent(attributes, {"n": 1}))
    return dict(headers), body


def test_an_event_delivery_joins_the_trace_of_its_traceparent_extension(
    log_lines: list[dict[str, Any]],
) -> None:
    seen: dict[str, str] = {}

    def consumer(event: CloudEvent) -> None:
        seen["trace"] = tracing.current_trace_id()

    spec = _spec(consumer, kind="event", name="unit-consumer", event_type="dev.unit.thing")
    headers, body = _event(traceparent=INCOMING)
    resp = _call(spec, "/", "POST", headers=headers, data=body)
    assert resp.status_code == 204 or resp.status_code == 200
    assert seen["trace"] == INCOMING.split("-")[1]
    line = next(line for line in log_lines if line["msg"] == "event")
    assert line["request_id"] == "ev-1" and line["outcome"] == "ok"
    assert line["trace_id"] == seen["trace"]
    trace = tracing.find_trace(seen["trace"])
    assert trace is not None
    assert any(s["kind"] == "consumer" and s["function"] == "unit-consumer" for s in trace["spans"])


def test_the_dead_letter_sink_counts_dead_letters() -> None:
    spec = _spec(lambda event: None, kind="event", name="unit-sink", sink=True)
    labels = {"subscriber": "orders-confirm", "type": "dev.unit.thing"}
    before = REGISTRY.get_sample_value("shopfn_dead_letters_total", labels) or 0.0
    headers, body = _event(knativeerrordest="orders-confirm", knativeerrorcode="500")
    assert _call(spec, "/", "POST", headers=headers, data=body).status_code < 300
    assert REGISTRY.get_sample_value("shopfn_dead_letters_total", labels) == before + 1


class Note(BaseModel):
    title: str
    tags: dict[str, str] = {}


def test_every_json_body_reaches_the_function_storable() -> None:
    """NUL and unpaired surrogates (which PostgreSQL and BSON refuse) become U+FFFD in any
    body, before validation, so no model has to opt in."""
    seen: list[Note] = []

    def handler(req: web.Request) -> dict[str, Any]:
        seen.append(req.body)
        return {}

    spec = _spec(handler, method="POST", path="/api/notes", body=Note)
    raw = '{"title": "a\\u0000b\\ud800", "tags": {"k\\u0000": "v"}}'
    resp = _call(spec, "/api/notes", "POST", data=raw, content_type="application/json")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert seen == [Note(title="a\ufffdb\ufffd", tags={"k\ufffd": "v"})]
