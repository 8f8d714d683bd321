"""The emulator: one gateway port that routes by the registry, the broker, the status page.

In-process mode calls every function inside this process; isolated mode proxies each call to
the function's own functions-framework process (see `processes.py`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import flask
import requests

from shopfn import events, jsonio, tracing, web
from shopfn.emulator.broker import Broker, Delivery, DeliveryResult, Trigger
from shopfn.emulator.frontends import register_frontends
from shopfn.emulator.processes import FunctionProcesses, base_env
from shopfn.emulator.status import render_status
from shopfn.emulator.traceview import render_traces
from shopfn.errors import ApiError
from shopfn.registry import FunctionSpec
from shopfn.security import principal_from_headers, require_role

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


def triggers_for(specs: Mapping[str, FunctionSpec]) -> list[Trigger]:
    """One Trigger per consumer, as the manifests declare them on a cluster."""
    return [
        Trigger(
            name=f"{spec.name}-trigger",
            subscriber=spec.name,
            attributes=spec.filter_attributes,
            filters=spec.trigger_filters,
            delivery=Delivery(
                retry=spec.delivery.retries,
                backoff_policy=spec.delivery.backoff,
                backoff_delay=spec.delivery.delay,
            ),
        )
        for spec in specs.values()
        if spec.is_consumer
    ]


@dataclass
class RouteTable:
    """Method + path -> function, with 404 and 405 told apart."""

    specs: Mapping[str, FunctionSpec]
    _routes: list[FunctionSpec] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Literal segments beat templates: /api/products/search before /api/products/{id}.
        self._routes = sorted(
            (s for s in self.specs.values() if s.kind == "http"),
            key=lambda s: (s.path.count("{"), -len(s.path)),
        )

    def resolve(self, method: str, path: str) -> FunctionSpec:
        allowed: list[str] = []
        for spec in self._routes:
            if web.path_regex(spec.path).match(path):
                if spec.method == method:
                    return spec
                allowed.append(spec.method)
        if allowed:
            raise ApiError(
                405,
                f"{method} is not allowed on {path}; use {', '.join(sorted(set(allowed)))}",
                code="method-not-allowed",
                headers={"Allow": ", ".join(sorted(set(allowed)))},
            )
        raise ApiError(404, f"no route {method} {path}", code="no-route")


class Emulator:
    """The gateway app, its broker and (isolated mode) the function processes."""

    def __init__(
        self,
        specs: Mapping[str, FunctionSpec],
        *,
        isolate: bool = False,
        gateway_url: str = "http://127.0.0.1:8080",
        idle_timeout: float = 60.0,
        log_dir: Path | None = None,
        log: Callable[[str], None] = print,
        broker_workers: int = 8,
        kafka: bool = False,
    ) -> None:
        self.specs = dict(specs)
        self.routes = RouteTable(self.specs)
        self.isolate = isolate
        self.gateway_url = gateway_url
        self.app = flask.Flask("shopfn-gateway")
        self.app.config["MAX_CONTENT_LENGTH"] = None
        self.processes = (
            FunctionProcesses(
                # Each function process sends its spans to this gateway's trace view.
                {
                    **base_env(gateway_url),
                    "SHOPFN_TRACE_SINK": f"{gateway_url}/_shopfn/traces/spans",
                },
                log_dir or Path(".shopfn/logs"),
                idle_timeout,
                log=log,
            )
            if isolate
            else None
        )
        self.broker = self._make_broker(broker_workers, kafka)
        self._periodic_stop = threading.Event()
        self._periodic: list[threading.Thread] = []
        self._session = requests.Session()
        self._register_routes()

    def _make_broker(self, workers: int, kafka: bool) -> Broker:
        triggers = triggers_for(self.specs)
        if not kafka:
            return Broker(triggers, self.deliver, workers=workers)
        from shopfn.config import settings
        from shopfn.emulator.kafka_bus import KafkaBroker

        # Events are stored in Kafka before dispatch: a restart redelivers what was unsettled.
        return KafkaBroker(
            triggers,
            self.deliver,
            bootstrap_servers=settings().kafka_url,
            topic=settings().kafka_topic,
            workers=workers,
        )

    # --- delivery: how the broker and the gateway reach a function -------------------------

    def deliver(self, name: str, headers: dict[str, str], body: bytes) -> DeliveryResult:
        spec = self.specs.get(name)
        if spec is None:
            return DeliveryResult(404, {}, f"no function {name}".encode())
        if self.processes is not None:
            answer = self._session.post(
                self.processes.url_for(name) + "/", headers=headers, data=body, timeout=30
            )
            return DeliveryResult(answer.status_code, dict(answer.headers), answer.content)
        with self.app.test_request_context("/", method="POST", headers=headers, data=body):
            resp = web.handle(spec, flask.request)
            return DeliveryResult(resp.status_code, dict(resp.headers), resp.get_data())

    def _proxy(self, spec: FunctionSpec) -> flask.Response:
        assert self.processes is not None
        req = flask.request
        headers = {k: v for k, v in req.headers.items() if k.lower() not in HOP_HEADERS}
        headers.setdefault("X-Forwarded-For", req.remote_addr or "")
        answer = self._session.request(
            req.method,
            self.processes.url_for(spec.name) + req.full_path.rstrip("?"),
            headers=headers,
            data=req.get_data(),
            timeout=30,
            allow_redirects=False,
        )
        out = flask.Response(answer.content, status=answer.status_code)
        for key, value in answer.headers.items():
            if key.lower() not in HOP_HEADERS:
                out.headers[key] = value
        return out

    # --- the gateway's own routes ------------------------------------------------------------

    def _register_routes(self) -> None:
        app = self.app
        register_frontends(app)  # the web frontends' builds at /, /svelte, /preact, /solid

        @app.get("/healthz")
        def healthz() -> flask.Response:
            return flask.jsonify(status="ok", functions=len(self.specs))

        @app.post("/_broker")
        def broker_ingress() -> flask.Response:
            status, message = self.broker.ingress(dict(flask.request.headers), flask.request.data)
            if status >= 400:
                error = ApiError(status, message, code="invalid-event")
                return flask.Response(
                    jsonio.dumps(error.to_problem("/_broker")),
                    status=status,
                    content_type="application/problem+json",
                )
            return flask.Response(status=status)

        @app.get("/_shopfn")
        def status_page() -> flask.Response:
            return flask.Response(render_status(self.status()), content_type="text/html")

        @app.get("/_shopfn/status.json")
        def status_json() -> flask.Response:
            return flask.Response(jsonio.dumps(self.status()), content_type="application/json")

        @app.get("/_shopfn/traces")
        def traces_page() -> flask.Response:
            page = render_traces(tracing.recent_traces(), flask.request.args.get("trace", ""))
            return flask.Response(page, content_type="text/html")

        @app.post("/_shopfn/traces/spans")
        def traces_receive() -> flask.Response:
            records = flask.request.get_json(silent=True)
            if not isinstance(records, list):
                raise ApiError(400, "send a JSON list of span records", code="invalid-spans")
            tracing.receive(records)
            return flask.Response(status=204)

        @app.get("/_shopfn/traces.json")
        def traces_json() -> flask.Response:
            return flask.Response(
                jsonio.dumps(tracing.recent_traces()), content_type="application/json"
            )

        @app.post("/_shopfn/dead-letters/<event_id>/replay")
        def replay(event_id: str) -> flask.Response:
            if not self.broker.replay(event_id):
                raise ApiError(404, f"no dead letter with id {event_id}", code="not-found")
            return flask.jsonify(replayed=event_id)

        @app.get("/openapi.json")
        def openapi_document() -> flask.Response:
            from shopfn import openapi

            return flask.Response(
                jsonio.dumps(openapi.build(self.specs)), content_type="application/json"
            )

        @app.get("/docs")
        def swagger_ui() -> flask.Response:
            from shopfn import openapi

            return flask.Response(openapi.swagger_page("/docs/assets"), content_type="text/html")

        @app.get("/docs/assets/docs-init.js")
        def swagger_init() -> flask.Response:
            from shopfn import openapi

            script = openapi.swagger_init("/openapi.json")
            return flask.Response(script, content_type="text/javascript")

        @app.get("/docs/assets/<path:name>")
        def swagger_asset(name: str) -> flask.Response:
            from shopfn import openapi

            return flask.send_from_directory(openapi.swagger_assets_dir(), name)

        @app.route("/", defaults={"path": ""}, methods=ALL_METHODS)
        @app.route("/<path:path>", methods=ALL_METHODS)
        def route(path: str) -> flask.Response:
            try:
                spec = self.routes.resolve(flask.request.method, flask.request.path)
            except ApiError as exc:  # a CORS preflight for a path some function serves
                if flask.request.method == "OPTIONS" and exc.status == 405:
                    return web.preflight(flask.request, exc.headers["Allow"].split(", "))
                raise
            # The gateway enforces the declared role too, so a refused call never wakes a
            # scaled-to-zero function; the function checks again on its own.
            require_role(principal_from_headers(flask.request.headers), spec.auth)
            if self.processes is not None:
                return self._proxy(spec)
            return web.handle(spec, flask.request)

        @app.after_request
        def cors(resp: flask.Response) -> flask.Response:
            # The gateway's own refusals (401, 404) must be readable by a browser frontend too.
            for name, value in web.cors_headers(flask.request).items():
                resp.headers.setdefault(name, value)
            return resp

        @app.errorhandler(ApiError)
        def api_error(error: ApiError) -> flask.Response:
            return web.problem_response(error, flask.request.path)

        @app.errorhandler(404)
        @app.errorhandler(405)
        def not_routed(error: Any) -> flask.Response:
            try:  # a method the gateway does not take (TRACE) on a known path is a 405
                self.routes.resolve(flask.request.method, flask.request.path)
            except ApiError as refusal:
                return web.problem_response(refusal, flask.request.path)
            return web.problem_response(
                ApiError(404, f"no route {flask.request.method} {flask.request.path}"),
                flask.request.path,
            )

    # --- lifecycle ---------------------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        running = self.processes.status() if self.processes else {}
        functions = []
        for spec in self.specs.values():
            state = (
                running.get(spec.name, {"state": "down"})
                if self.isolate
                else {"state": "in-process"}
            )
            functions.append(
                {
                    "name": spec.name,
                    "kind": spec.kind,
                    "route": f"{spec.method} {spec.path}" if spec.kind == "http" else "",
                    "event": spec.event_type,
                    "auth": spec.auth,
                    **state,
                }
            )
        return {
            "mode": "isolated" if self.isolate else "in-process",
            "broker": type(self.broker).__name__,
            "functions": functions,
            "events": self.broker.recent_events(),
            "dead_letters": self.broker.dead_letters(),
        }

    def start(self) -> None:
        if self.processes is None:
            events.set_local_sink(self.broker.publish)
        self.broker.start()
        if self.processes is not None:
            self.processes.start()
        for spec in self.specs.values():
            if spec.kind == "periodic":
                thread = threading.Thread(
                    target=self._tick, args=(spec,), name=f"ping-{spec.name}", daemon=True
                )
                thread.start()
                self._periodic.append(thread)

    def _tick(self, spec: FunctionSpec) -> None:
        """A PingSource stand-in: a `dev.knative.sources.ping` event every `spec.every` s."""
        import uuid

        while not self._periodic_stop.wait(spec.every):
            headers = {
                "ce-specversion": "1.0",
                "ce-type": "dev.knative.sources.ping",
                "ce-source": f"/shopfn/ping/{spec.name}",
                "ce-id": uuid.uuid4().hex,
                "content-type": "application/json",
            }
            try:
                self.deliver(spec.name, headers, b"{}")
            except Exception:  # a failed tick is retried by the next one, as PingSource does
                web.log.exception("periodic %s failed", spec.name)

    def stop(self) -> None:
        self._periodic_stop.set()
        self.broker.stop()
        if self.processes is not None:
            self.processes.stop()
        events.set_local_sink(None)
