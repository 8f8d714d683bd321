"""The web adapter: turns a registered function into an HTTP endpoint.

JSON in and out, one error type rendered as problem+json, pydantic validation, request ids, a
body size limit, auth by the registered role, `/metrics` and `/healthz` on every function.
The same adapter serves functions-framework (one function per process) and the emulator.

What every function gets here, once: the rate limit of its route group (shopfn.ratelimit),
security headers and CORS (SHOPFN_CORS_ORIGINS, preflight included), a span per request and per
event delivery (shopfn.tracing), one JSON log line per request and per delivery with the
request and trace ids, and 503 + Retry-After when a dependency's circuit is open.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import flask
from cloudevents.conversion import to_binary
from cloudevents.http import CloudEvent, from_http
from opentelemetry.trace import SpanKind
from pydantic import BaseModel, ValidationError
from werkzeug.datastructures import Headers, MultiDict

from shopfn import jsonio, logs, ratelimit, tracing
from shopfn.breaker import CircuitOpen
from shopfn.config import settings
from shopfn.errors import PROBLEM_CONTENT_TYPE, ApiError
from shopfn.events import validate_data
from shopfn.metrics import (
    dead_letters,
    event_latency,
    events_received,
    exposition,
    http_latency,
    http_requests,
)
from shopfn.registry import FunctionSpec
from shopfn.security import Principal, principal_from_headers, require_role, storable_text

log = logs.get_logger("shopfn.web")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    # JSON only: nothing of an answer may run, load or be framed.
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CORS_ALLOW_HEADERS = (
    "Authorization, Content-Type, Idempotency-Key, If-Match, X-Request-Id, traceparent"
)
CORS_EXPOSE_HEADERS = (
    "X-Request-Id, traceparent, Location, ETag, Retry-After, RateLimit, RateLimit-Policy"
)
CORS_MAX_AGE = "600"
_PARAM = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")


@dataclass
class Request:
    """What a handler sees of an HTTP request."""

    method: str
    path: str
    params: dict[str, str]
    query: MultiDict[str, str]
    headers: Headers
    body: Any
    principal: Principal | None
    request_id: str
    client: str
    args: Any = None
    raw: bytes = b""

    @property
    def user(self) -> Principal:
        """The caller; only call it on routes that require a role."""
        if self.principal is None:
            raise ApiError(401, "authentication required", code="unauthorized")
        return self.principal


@dataclass
class Response:
    """A handler's answer when it needs a status or headers of its own."""

    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@functools.cache
def path_regex(path: str) -> re.Pattern[str]:
    """`/api/products/{id}` -> a regex with one named group per template parameter."""
    pattern = _PARAM.sub(
        lambda m: f"(?P<{m.group(1)}>[^/]+)",
        re.escape(path).replace(r"\{", "{").replace(r"\}", "}"),
    )
    return re.compile(f"^{pattern}$")


def problem_response(error: ApiError, instance: str, request_id: str = "") -> flask.Response:
    """`error` as an RFC 9457 problem+json response."""
    resp = flask.Response(
        json.dumps(error.to_problem(instance, request_id)),
        status=error.status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    resp.headers.update(error.headers)
    return resp


def _json_response(body: Any, status: int) -> flask.Response:
    if status == 204 or body is None:
        return flask.Response(status=204 if body is None else status)
    return flask.Response(jsonio.dumps(body), status=status, content_type="application/json")


def _validation_error(exc: ValidationError, where: str) -> ApiError:
    errors = [
        {
            "field": ".".join(str(p) for p in err["loc"]) or where,
            "message": err["msg"],
            "in": where,
        }
        for err in exc.errors(include_url=False, include_context=False, include_input=False)
    ]
    first = errors[0]
    return ApiError(
        422,
        f"{where} field '{first['field']}': {first['message']}",
        code="validation-failed",
        errors=errors,
    )


def _read_body(spec: FunctionSpec, req: flask.Request) -> tuple[bytes, Any]:
    limit = settings().max_body_bytes
    if req.content_length is not None and req.content_length > limit:
        raise ApiError(413, f"request body is larger than {limit} bytes", code="body-too-large")
    raw = req.get_data(cache=True)
    if len(raw) > limit:
        raise ApiError(413, f"request body is larger than {limit} bytes", code="body-too-large")
    if spec.body is None:
        return raw, None
    if not raw:
        raise ApiError(400, "a JSON request body is required", code="body-required")
    if req.mimetype != "application/json":
        raise ApiError(415, "send the body as application/json", code="unsupported-media-type")
    try:
        # Text from the wire is made storable before validation (see `storable_text`).
        payload = storable_text(json.loads(raw))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"malformed JSON body: {exc}", code="malformed-json") from None
    try:
        return raw, spec.body.model_validate(payload)
    except ValidationError as exc:
        raise _validation_error(exc, "body") from None


def _read_query(spec: FunctionSpec, req: flask.Request) -> Any:
    if spec.query is None:
        return None
    values: dict[str, Any] = {}
    for key in req.args:
        items = req.args.getlist(key)
        values[key] = items if len(items) > 1 else items[0]
    try:
        return spec.query.model_validate(values)
    except ValidationError as exc:
        raise _validation_error(exc, "query") from None


def _render(spec: FunctionSpec, result: Any) -> flask.Response:
    if isinstance(result, flask.Response):
        return result
    status, headers = spec.status, {}
    if isinstance(result, Response):
        status, headers, result = result.status, result.headers, result.body
    if spec.response is not None and result is not None and not isinstance(result, BaseModel):
        result = spec.response.model_validate(result)
    resp = _json_response(result, status)
    resp.headers.update(headers)
    return resp


def client_address(req: flask.Request) -> str:
    forwarded = req.headers.get("X-Forwarded-For", "")
    return forwarded.split(",")[0].strip() if forwarded else (req.remote_addr or "")


def _allowed_origin(origin: str) -> str:
    """The Access-Control-Allow-Origin value for `origin` ("" when it may not call us)."""
    allowed = [o.strip() for o in settings().get("CORS_ORIGINS", "*").split(",") if o.strip()]
    if "*" in allowed:
        return "*"
    return origin if origin in allowed else ""


def cors_headers(req: flask.Request) -> dict[str, str]:
    """CORS headers of an actual (non-preflight) response; none without an allowed Origin."""
    origin = req.headers.get("Origin", "")
    allowed = _allowed_origin(origin) if origin else ""
    if not allowed:
        return {}
    headers = {
        "Access-Control-Allow-Origin": allowed,
        "Access-Control-Expose-Headers": CORS_EXPOSE_HEADERS,
    }
    if allowed != "*":
        headers["Vary"] = "Origin"
    return headers


def preflight(req: flask.Request, methods: list[str]) -> flask.Response:
    """The answer to a CORS preflight (OPTIONS) for a path served by `methods`."""
    resp = flask.Response(status=204)
    del resp.headers["Content-Type"]
    resp.headers["Allow"] = ", ".join(sorted({*methods, "OPTIONS"}))
    origin = req.headers.get("Origin", "")
    allowed = _allowed_origin(origin) if origin else ""
    if allowed:
        resp.headers.update(cors_headers(req))
        resp.headers["Access-Control-Allow-Methods"] = ", ".join(sorted(set(methods)))
        resp.headers["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
        resp.headers["Access-Control-Max-Age"] = CORS_MAX_AGE
    for name, value in SECURITY_HEADERS.items():
        resp.headers.setdefault(name, value)
    return resp


def _rate_limit(
    spec: FunctionSpec, req: flask.Request, principal: Principal | None
) -> dict[str, str]:
    """Take a token for this caller; the RateLimit headers to send, or ApiError 429."""
    group = spec.limit
    if not group:  # a registration without `limit=` is not rate limited
        return {}
    caller = f"user:{principal.user_id}" if principal else f"ip:{client_address(req)}"
    decision = ratelimit.check(group, caller)
    if decision is None:
        return {}
    if not decision.allowed:
        raise ApiError(
            429,
            f"too many requests to {group}: {decision.rate.limit} per {decision.rate.period} s",
            code="rate-limited",
            headers=decision.headers(),
        )
    return decision.headers()


def _caller(req: flask.Request) -> tuple[Principal | None, ApiError | None]:
    """The authenticated caller, or the refusal of a bad token (raised after rate limiting)."""
    try:
        return principal_from_headers(req.headers), None
    except ApiError as exc:
        return None, exc


def _run_http(
    spec: FunctionSpec, req: flask.Request, request_id: str, edge_headers: dict[str, str]
) -> flask.Response:
    """The function's part of the pipeline; `edge_headers` gets what every answer carries."""
    match = path_regex(spec.path).match(req.path)
    if match is None or req.method != spec.method:
        raise ApiError(404, f"no route {req.method} {req.path}", code="no-route")
    principal, refusal = _caller(req)
    edge_headers.update(_rate_limit(spec, req, principal))
    if refusal is not None:
        raise refusal
    require_role(principal, spec.auth)
    raw, body = _read_body(spec, req)
    request = Request(
        method=req.method,
        path=req.path,
        params=match.groupdict(),
        query=req.args,
        headers=req.headers,
        body=body,
        principal=principal,
        request_id=request_id,
        client=client_address(req),
        args=_read_query(spec, req),
        raw=raw,
    )
    return _render(spec, spec.handler(request))


def _unavailable(exc: CircuitOpen) -> ApiError:
    retry = max(1, int(exc.retry_after + 0.999))
    return ApiError(
        503,
        f"{exc.dependency} is unavailable; try again in {retry} s",
        code="dependency-unavailable",
        headers={"Retry-After": str(retry)},
    )


def handle_http(spec: FunctionSpec, req: flask.Request) -> flask.Response:
    """Run the whole request pipeline of an HTTP function."""
    started = time.perf_counter()
    request_id = req.headers.get("X-Request-Id") or uuid.uuid4().hex
    rid_token = logs.request_id_var.set(request_id)
    scope = tracing.enter(
        req.headers.get("traceparent", ""),
        f"{spec.method} {spec.path}",
        kind=SpanKind.SERVER,
        attributes={
            tracing.FUNCTION_ATTRIBUTE: spec.name,
            "http.request.method": req.method,
            "http.route": spec.path,
            "url.path": req.path,
            "shopfn.request_id": request_id,
        },
    )
    fn_token = logs.function_var.set(spec.name)
    error, status = "", 500
    edge_headers: dict[str, str] = {}
    try:
        try:
            resp = _run_http(spec, req, request_id, edge_headers)
        except CircuitOpen as exc:
            error = str(exc)
            resp = problem_response(_unavailable(exc), req.path, request_id)
        except ApiError as exc:
            resp = problem_response(exc, req.path, request_id)
        except Exception as exc:
            error = type(exc).__name__
            log.exception("unhandled error in %s", spec.name)
            resp = problem_response(
                ApiError(500, "internal error; quote the request id when reporting it"),
                req.path,
                request_id,
            )
        resp.headers["X-Request-Id"] = request_id
        resp.headers["traceparent"] = tracing.current()
        for name, value in {**SECURITY_HEADERS, **cors_headers(req), **edge_headers}.items():
            resp.headers.setdefault(name, value)
        status = resp.status_code
        elapsed = time.perf_counter() - started
        http_requests.labels(spec.name, spec.path, req.method, str(status)).inc()
        http_latency.labels(spec.name, spec.path).observe(elapsed)
        logs.log_event(
            log,
            "request",
            method=req.method,
            path=req.path,
            route=spec.path,
            status=resp.status_code,
            ms=round(elapsed * 1000, 2),
            client=client_address(req),
        )
        return resp
    finally:
        logs.function_var.reset(fn_token)
        if not error and status >= 500:
            error = f"HTTP {status}"
        tracing.leave(scope, error=error, attributes={"http.response.status_code": status})
        logs.request_id_var.reset(rid_token)


def _event_from(req: flask.Request) -> CloudEvent:
    try:
        return from_http(dict(req.headers), req.get_data())
    except Exception as exc:
        raise ApiError(400, f"not a CloudEvent: {exc}", code="invalid-event") from None


def _consume(spec: FunctionSpec, event: CloudEvent) -> flask.Response:
    event_type = event["type"]
    # A sink keeps whatever it is given: the event may be dead precisely because it is invalid.
    if event_type.startswith("shop.") and not spec.sink:
        from shopfn.events import event_data

        validate_data(event_type, event_data(event))
    if spec.sink:
        dead_letters.labels(str(event.get("knativeerrordest") or "?"), event_type).inc()
    result = spec.handler(event) if spec.kind == "event" else spec.handler()
    if isinstance(result, CloudEvent):
        headers, body = to_binary(result)
        return flask.Response(body, status=200, headers=headers)
    return _json_response(result, 200)


def handle_event(spec: FunctionSpec, req: flask.Request) -> flask.Response:
    """Deliver one CloudEvent to a consumer. Non-2xx tells the broker to retry or dead-letter."""
    started = time.perf_counter()
    fn_token = logs.function_var.set(spec.name)
    event_id = req.headers.get("ce-id", "")
    rid_token = logs.request_id_var.set(event_id)
    event_type, outcome, error = req.headers.get("ce-type", "?"), "ok", ""
    # The traceparent extension arrives as the ce-traceparent header in binary mode; a
    # structured event carries it inside and is re-read once parsed.
    try:
        event: CloudEvent | None = _event_from(req)
    except ApiError:
        event = None
    incoming = str(event.get("traceparent") or "") if event is not None else ""
    scope = tracing.enter(
        incoming,
        f"{spec.name} {event_type}",
        kind=SpanKind.CONSUMER,
        attributes={
            tracing.FUNCTION_ATTRIBUTE: spec.name,
            "messaging.operation.type": "process",
            "cloudevents.event_type": event_type,
            "cloudevents.event_id": event_id,
        },
    )
    try:
        try:
            if event is None:
                event = _event_from(req)
            event_type = event["type"]
            tracing.rename(f"{spec.name} {event_type}", **{"cloudevents.event_type": event_type})
            resp = _consume(spec, event)
        except CircuitOpen as exc:
            outcome, error = "retry", str(exc)
            resp = problem_response(_unavailable(exc), req.path, event_id)
        except ApiError as exc:
            outcome = "rejected" if 400 <= exc.status < 500 else "retry"
            error = exc.detail
            resp = problem_response(exc, req.path, event_id)
        except Exception as exc:
            outcome, error = "retry", type(exc).__name__
            log.exception("consumer %s failed", spec.name)
            resp = problem_response(
                ApiError(500, "consumer failed; the broker retries"), req.path, event_id
            )
        elapsed = time.perf_counter() - started
        events_received.labels(spec.name, event_type, outcome).inc()
        event_latency.labels(spec.name, event_type).observe(elapsed)
        logs.log_event(
            log,
            "event",
            type=event_type,
            id=event_id,
            outcome=outcome,
            status=resp.status_code,
            ms=round(elapsed * 1000, 2),
        )
        return resp
    finally:
        tracing.leave(scope, error=error)
        logs.request_id_var.reset(rid_token)
        logs.function_var.reset(fn_token)


def _metrics() -> flask.Response:
    body, content_type = exposition()
    return flask.Response(body, content_type=content_type)


def handle(spec: FunctionSpec, req: flask.Request) -> flask.Response:
    """The whole function endpoint: health and metrics, then the function itself."""
    if req.method == "GET" and req.path in ("/healthz", "/readyz"):
        return _json_response({"status": "ok", "function": spec.name}, 200)
    if req.method == "GET" and req.path == "/metrics":
        return _metrics()
    if req.method == "OPTIONS" and spec.kind == "http":
        return preflight(req, [spec.method])
    if spec.kind == "http":
        return handle_http(spec, req)
    return handle_event(spec, req)


def endpoint(spec: FunctionSpec) -> Callable[[flask.Request], flask.Response]:
    """A plain function functions-framework accepts as an HTTP target."""

    def function(request: flask.Request) -> flask.Response:
        return handle(spec, request)

    function.__name__ = spec.name.replace("-", "_")
    function.__doc__ = spec.summary
    return function


def configure_process() -> None:
    """Once per process: JSON logs at the configured level."""
    logs.configure(settings().log_level)
    logging.captureWarnings(True)
