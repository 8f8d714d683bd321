"""The chart lints clean and renders the same objects as `knative/` (plus the prod tuning)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from deploy_support import CHART, VALUES_FILES

from shopfn.registry import FunctionSpec

Render = Callable[[str], list[dict[str, Any]]]


def keyed(docs: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(d["kind"], d["metadata"]["name"]): d for d in docs}


@pytest.mark.parametrize("values_file", VALUES_FILES)
def test_helm_lint_strict(helm: str, values_file: str) -> None:
    out = subprocess.run(
        [helm, "lint", "--strict", str(CHART), "-f", str(CHART / values_file)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "[WARNING]" not in out.stdout and "[ERROR]" not in out.stdout, out.stdout


def test_default_values_render_knative_dir(
    helm_render: Render, knative_docs: list[dict[str, Any]]
) -> None:
    """The chart and the generator agree object for object (the Namespace is the chart's option)."""
    from_files = {k: v for k, v in keyed(knative_docs).items() if k[0] != "Namespace"}
    assert keyed(helm_render("values.yaml")) == from_files


@pytest.mark.parametrize("values_file", VALUES_FILES)
def test_every_function_rendered(
    values_file: str, helm_render: Render, functions: dict[str, FunctionSpec]
) -> None:
    services = {k[1] for k in keyed(helm_render(values_file)) if k[0] == "Service"}
    assert services == set(functions)


def _min_scale(doc: dict[str, Any]) -> int:
    notes = doc["spec"]["template"]["metadata"]["annotations"]
    return int(notes["autoscaling.knative.dev/min-scale"])


HOT_ROUTES = {
    ("GET", "/api/products"),
    ("GET", "/api/products/{id}"),
    ("GET", "/api/search"),
    ("GET", "/api/cart"),
    ("POST", "/api/cart/items"),
    ("POST", "/api/cart/checkout"),
}


def _is_hot(spec: FunctionSpec) -> bool:
    under_checkout = re.match(r"^/api/checkout(/|$)", spec.path) is not None
    return spec.kind == "http" and ((spec.method, spec.path) in HOT_ROUTES or under_checkout)


def test_prod_keeps_hot_paths_warm(helm_render: Render, functions: dict[str, FunctionSpec]) -> None:
    prod = keyed(helm_render("values-prod.yaml"))
    for name, spec in functions.items():
        expected = max(spec.scale.min, 2) if _is_hot(spec) else spec.scale.min
        assert _min_scale(prod[("Service", name)]) == expected, name


def test_prod_is_stricter(helm_render: Render) -> None:
    prod = keyed(helm_render("values-prod.yaml"))
    default = keyed(helm_render("values.yaml"))
    kafka = [k for k in prod if k[0] == "ConfigMap" and k[1].endswith("kafka-broker-config")]
    assert kafka
    for k in kafka:
        partitions = int(prod[k]["data"]["default.topic.partitions"])
        assert partitions > int(default[k]["data"]["default.topic.partitions"])
    for k, doc in prod.items():
        if k[0] == "Service":
            limits = doc["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]
            assert {"cpu", "memory"} <= set(limits), k


def test_dev_uses_one_partition(helm_render: Render) -> None:
    dev = keyed(helm_render("values-dev.yaml"))
    kafka = next(v for k, v in dev.items() if k[1].endswith("kafka-broker-config"))
    assert kafka["data"]["default.topic.partitions"] == "1"
    assert kafka["data"]["default.topic.replication.factor"] == "1"


def test_optional_namespace_matches_knative_dir(
    helm: str, knative_docs: list[dict[str, Any]]
) -> None:
    chart = str(CHART)
    out = subprocess.run(
        [helm, "template", "shopfn", chart, "-n", "shopfn", "--set", "namespace.create=true"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    rendered = keyed([d for d in yaml.safe_load_all(out.stdout) if d])
    (namespace,) = (d for d in knative_docs if d["kind"] == "Namespace")
    assert rendered[("Namespace", "shopfn")] == namespace
