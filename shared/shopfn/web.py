"""The web adapter: turns a registered function into an HTTP endpoint.

JSON in and out, one error type rendered as problem+json, pydantic validation, request ids, a
body size limit, auth by the registered role, `/metrics` and `/healthz` on every function.
The same adapter serves functions-framework (one function per process) and the emulator.
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
from pydantic import BaseModel, ValidationError
from werkzeug.datastructures import Headers, MultiDict

from shopfn import jsonio, logs, tracing
from shopfn.config import settings
from shopfn.errors import PROBLEM_CONTENT_TYPE, ApiError
from shopfn.events import validate_data
from shopfn.metrics import event_latency, events_received, exposition, http_latency, http_requests
from shopfn.registry import FunctionSpec
from shopfn.security import Principal, principal_from_headers, require_role

log = logs.get_logger("shopfn.web")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
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
        payload = json.loads(raw)
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


def handle_http(spec: FunctionSpec, req: flask.Request) -> flask.Response:
    """Run the whole request pipeline of an HTTP function."""
    started = time.perf_counter()
    request_id = req.headers.get("X-Request-Id") or uuid.uuid4().hex
    rid_token = logs.request_id_var.set(request_id)
    trace_token = tracing.enter(req.headers.get("traceparent", ""))
    fn_token = logs.function_var.set(spec.name)
    try:
        try:
            match = path_regex(spec.path).match(req.path)
            if match is None or req.method != spec.method:
                raise ApiError(404, f"no route {req.method} {req.path}", code="no-route")
            principal = principal_from_headers(req.headers)
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
            resp = _render(spec, spec.handler(request))
        except ApiError as exc:
            resp = problem_response(exc, req.path, request_id)
        except Exception:
            log.exception("unhandled error in %s", spec.name)
            resp = problem_response(
                ApiError(500, "internal error; quote the request id when reporting it"),
                req.path,
                request_id,
            )
        resp.headers["X-Request-Id"] = request_id
        resp.headers["traceparent"] = tracing.current()
        for name, value in SECURITY_HEADERS.items():
            resp.headers.setdefault(name, value)
        elapsed = time.perf_counter() - started
        http_requests.labels(spec.name, spec.path, req.method, str(resp.status_code)).inc()
        http_latency.labels(spec.name, spec.path).observe(elapsed)
        logs.log_event(
            log,
            "request",
            method=req.method,
            path=req.path,
            status=resp.status_code,
            ms=round(elapsed * 1000, 2),
        )
        return resp
    finally:
        logs.function_var.reset(fn_token)
        tracing.leave(trace_token)
        logs.request_id_var.reset(rid_token)


def _event_from(req: flask.Request) -> CloudEvent:
    try:
        return from_http(dict(req.headers), req.get_data())
    except Exception as exc:
        raise ApiError(400, f"not a CloudEvent: {exc}", code="invalid-event") from None


def handle_event(spec: FunctionSpec, req: flask.Request) -> flask.Response:
    """Deliver one CloudEvent to a consumer. Non-2xx tells the broker to retry or dead-letter."""
    started = time.perf_counter()
    fn_token = logs.function_var.set(spec.name)
    event_type, outcome = "?", "ok"
    trace_token = tracing.enter(req.headers.get("ce-traceparent", ""))
    try:
        try:
            event = _event_from(req)
            event_type = event["type"]
            tracing.leave(trace_token)
            trace_token = tracing.enter(event.get("traceparent") or "")
            if event_type.startswith("shop."):
                from shopfn.events import event_data

                validate_data(event_type, event_data(event))
            result = spec.handler(event) if spec.kind == "event" else spec.handler()
            if isinstance(result, CloudEvent):
                headers, body = to_binary(result)
                resp = flask.Response(body, status=200, headers=headers)
            else:
                resp = _json_response(result, 200)
        except ApiError as exc:
            outcome = "rejected" if 400 <= exc.status < 500 else "retry"
            resp = problem_response(exc, req.path, "")
        except Exception:
            outcome = "retry"
            log.exception("consumer %s failed", spec.name)
            resp = problem_response(
                ApiError(500, "consumer failed; the broker retries"), req.path, ""
            )
        elapsed = time.perf_counter() - started
        events_received.labels(spec.name, event_type, outcome).inc()
        event_latency.labels(spec.name, event_type).observe(elapsed)
        logs.log_event(
            log,
            "event",
            type=event_type,
            id=req.headers.get("ce-id", ""),
            status=resp.status_code,
            ms=round(elapsed * 1000, 2),
        )
        return resp
    finally:
        tracing.leave(trace_token)
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
