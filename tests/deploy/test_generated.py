"""`knative/` and the chart's function list follow the registry, and say what it says."""

from __future__ import annotations

import re
from typing import Any

import pytest
from deploy_support import ROOT

from shopfn import manifests
from shopfn.registry import Delivery, FunctionSpec, Scale


def by_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def test_generated_files_are_fresh(functions: dict[str, FunctionSpec]) -> None:
    stale = manifests.stale(ROOT, manifests.rendered(functions))
    assert stale == [], "run `make manifests`"


def test_check_mode_reports_drift(functions: dict[str, FunctionSpec], tmp_path: Any) -> None:
    files = manifests.rendered(functions)
    manifests.write(tmp_path, files)
    assert manifests.stale(tmp_path, files) == []
    (tmp_path / "knative" / "99-extra.yaml").write_text("---\n")
    first = sorted(files)[0]
    (tmp_path / first).write_text("changed\n")
    assert manifests.stale(tmp_path, files) == sorted(
        [first, manifests.KNATIVE_DIR / "99-extra.yaml"]
    )


def test_one_service_per_function(
    functions: dict[str, FunctionSpec], knative_docs: list[dict[str, Any]]
) -> None:
    services = by_kind(knative_docs, "Service")
    assert sorted(services) == sorted(functions)
    for name, spec in functions.items():
        template = services[name]["spec"]["template"]
        notes = template["metadata"]["annotations"]
        assert notes["autoscaling.knative.dev/min-scale"] == str(spec.scale.min)
        assert notes["autoscaling.knative.dev/max-scale"] == str(spec.scale.max)
        assert notes["autoscaling.knative.dev/target"] == str(spec.scale.concurrency)
        retention = notes["autoscaling.knative.dev/scale-to-zero-pod-retention-period"]
        assert retention == spec.scale.retention
        container = template["spec"]["containers"][0]
        assert container["args"] == ["--target", name]
        assert {"name": "FUNCTION_TARGET", "value": name} in container["env"]
        assert container["resources"]["requests"] == {
            "cpu": spec.scale.cpu,
            "memory": spec.scale.memory,
        }
        assert container["securityContext"]["runAsNonRoot"] is True
        refs = [next(iter(source.values()))["name"] for source in container["envFrom"]]
        assert refs == ["shopfn-config", "shopfn-secrets"]
        labels = services[name]["metadata"]["labels"]
        visibility = labels.get("networking.knative.dev/visibility")
        assert visibility == (None if spec.kind == "http" else "cluster-local")


def test_one_trigger_per_consumer(
    functions: dict[str, FunctionSpec], knative_docs: list[dict[str, Any]]
) -> None:
    triggers = by_kind(knative_docs, "Trigger")
    consumers = {name: spec for name, spec in functions.items() if spec.is_consumer}
    assert sorted(triggers) == sorted(consumers)
    for name, spec in consumers.items():
        trigger = triggers[name]["spec"]
        if spec.trigger_filters:
            assert trigger["filters"] == spec.trigger_filters
            assert "filter" not in trigger
        else:
            assert trigger["filter"]["attributes"] == spec.filter_attributes
            assert "filters" not in trigger
        assert trigger["subscriber"]["ref"]["name"] == name
        delivery = trigger["delivery"]
        assert delivery["retry"] == spec.delivery.retries
        assert delivery["backoffPolicy"] == spec.delivery.backoff
        assert delivery["backoffDelay"] == manifests.iso_duration(spec.delivery.delay)
        dead_letters = delivery.get("deadLetterSink", {}).get("ref", {}).get("name")
        if manifests.DEAD_LETTERS in functions and name != manifests.DEAD_LETTERS:
            assert dead_letters == manifests.DEAD_LETTERS
        else:
            assert dead_letters is None


def test_periodic_functions_have_ping_sources(
    functions: dict[str, FunctionSpec], knative_docs: list[dict[str, Any]]
) -> None:
    pings = by_kind(knative_docs, "PingSource")
    periodic = {name: spec for name, spec in functions.items() if spec.kind == "periodic"}
    assert {name: p["spec"]["schedule"] for name, p in pings.items()} == {
        name: spec.schedule for name, spec in periodic.items()
    }


def test_every_http_route_is_public_and_reachable(
    functions: dict[str, FunctionSpec], knative_docs: list[dict[str, Any]]
) -> None:
    http = {name: spec for name, spec in functions.items() if spec.kind == "http"}
    routes = by_kind(knative_docs, "VirtualService").get("shopfn-api", {"spec": {"http": []}})
    table = routes["spec"]["http"]
    assert sorted(r["name"] for r in table) == sorted(http)
    for name, spec in http.items():
        sample = re.sub(r"\{[^/]+\}", "x1", spec.path)
        assert first_route(table, spec.method, sample) == name, f"{spec.method} {sample}"


def first_route(table: list[dict[str, Any]], method: str, path: str) -> str | None:
    """The route Istio would choose: the first whose method and uri match."""
    for route in table:
        for match in route["match"]:
            uri = match["uri"]
            hit = path == uri["exact"] if "exact" in uri else re.fullmatch(uri["regex"], path)
            if match["method"]["exact"] == method and hit:
                return str(route["name"])
    return None


def test_sink_binding_selects_the_producers(
    functions: dict[str, FunctionSpec], knative_docs: list[dict[str, Any]]
) -> None:
    (binding,) = by_kind(knative_docs, "SinkBinding").values()
    selector = binding["spec"]["subject"]["selector"]["matchLabels"]
    services = by_kind(knative_docs, "Service")
    selected = {
        name
        for name, svc in services.items()
        if selector.items() <= svc["metadata"]["labels"].items()
    }
    assert selected == {name for name, spec in functions.items() if manifests.is_producer(spec)}
    assert binding["spec"]["sink"]["ref"]["kind"] == "Broker"


# ---- pure generation on a throwaway registry (every kind, whatever functions/ holds today) ----


def _noop() -> None:
    return None


SAMPLE = {
    spec.name: spec
    for spec in (
        FunctionSpec("shop-get", "http", _noop, "tests", method="GET", path="/api/shop/{id}"),
        FunctionSpec("shop-special", "http", _noop, "tests", method="GET", path="/api/shop/new"),
        FunctionSpec("shop-list", "http", _noop, "tests", method="GET", path="/api/shop"),
        FunctionSpec(
            "shop-on-paid",
            "event",
            _noop,
            "tests",
            event_type="shop.order.paid.v1",
            attributes={"source": "/shopfn/orders-pay"},
            delivery=Delivery(retries=3, backoff="linear", delay=1.5),
            scale=Scale(min=1, max=4, concurrency=5, retention="30s", cpu="50m", memory="128Mi"),
        ),
        FunctionSpec("ops-dead-letters", "event", _noop, "tests", sink=True),
        FunctionSpec(
            "shop-audit",
            "event",
            _noop,
            "tests",
            event_type="shop.",
            prefix=True,
            attributes={"source": "/shopfn/orders-pay"},
        ),
        FunctionSpec("shop-tick", "periodic", _noop, "tests", schedule="*/5 * * * *", emits=("x",)),
    )
}


def test_sample_registry_objects() -> None:
    docs = manifests.objects(SAMPLE)
    trigger = by_kind(docs, "Trigger")["shop-on-paid"]["spec"]
    assert trigger["filter"]["attributes"] == {
        "type": "shop.order.paid.v1",
        "source": "/shopfn/orders-pay",
    }
    assert trigger["delivery"] == {
        "retry": 3,
        "backoffPolicy": "linear",
        "backoffDelay": "PT1.5S",
        "deadLetterSink": {
            "ref": {
                "apiVersion": "serving.knative.dev/v1",
                "kind": "Service",
                "name": "ops-dead-letters",
                "namespace": "shopfn",
            }
        },
    }
    assert "ops-dead-letters" not in by_kind(docs, "Trigger")  # a sink, reached directly
    audit = by_kind(docs, "Trigger")["shop-audit"]["spec"]
    assert audit["filters"] == [
        {"prefix": {"type": "shop."}},
        {"exact": {"source": "/shopfn/orders-pay"}},
    ]
    assert "filter" not in audit
    notes = by_kind(docs, "Service")["shop-on-paid"]["spec"]["template"]["metadata"]["annotations"]
    assert notes["autoscaling.knative.dev/min-scale"] == "1"
    assert notes["autoscaling.knative.dev/scale-to-zero-pod-retention-period"] == "30s"
    assert by_kind(docs, "PingSource")["shop-tick"]["spec"]["schedule"] == "*/5 * * * *"
    producer = by_kind(docs, "Service")["shop-tick"]["metadata"]["labels"]
    assert producer[manifests.PRODUCER_LABEL] == "true"
    table = by_kind(docs, "VirtualService")["shopfn-api"]["spec"]["http"]
    assert first_route(table, "GET", "/api/shop/new") == "shop-special"
    assert first_route(table, "GET", "/api/shop/42") == "shop-get"
    assert first_route(table, "GET", "/api/shop") == "shop-list"
    assert first_route(table, "GET", "/api/shop/42/more") is None
    assert first_route(table, "POST", "/api/shop") is None


def test_no_dead_letter_sink_without_the_function() -> None:
    without = {k: v for k, v in SAMPLE.items() if k != "ops-dead-letters"}
    trigger = by_kind(manifests.objects(without), "Trigger")["shop-on-paid"]
    assert "deadLetterSink" not in trigger["spec"]["delivery"]


@pytest.mark.parametrize(
    ("seconds", "iso"),
    [(0.2, "PT0.2S"), (1, "PT1S"), (1.5, "PT1.5S"), (30.0, "PT30S"), (0, "PT0S")],
)
def test_iso_duration(seconds: float, iso: str) -> None:
    assert manifests.iso_duration(seconds) == iso


@pytest.mark.parametrize(
    ("path", "match"),
    [
        ("/api/products", {"exact": "/api/products"}),
        ("/api/products/{id}", {"regex": "^/api/products/[^/]+$"}),
        ("/api/a.b/{x}/c", {"regex": "^/api/a\\.b/[^/]+/c$"}),
    ],
)
def test_path_match(path: str, match: dict[str, str]) -> None:
    assert manifests.path_match(path) == match


def test_main_check_and_write(tmp_path: Any) -> None:
    assert manifests.main(["--check", "--root", str(tmp_path)]) == 1
    assert manifests.main(["--root", str(tmp_path)]) == 0
    assert manifests.main(["--check", "--root", str(tmp_path)]) == 0
    header = (tmp_path / "knative" / "20-services.yaml").read_text().splitlines()[0]
    assert "make manifests" in header
