"""Every generated object is valid against the Kubernetes, Knative and Istio schemas, offline."""

from __future__ import annotations

import copy
import importlib.util
import shutil
from collections.abc import Callable
from typing import Any

import deploy_validation as validation
import pytest
from deploy_support import NODE_PACKAGE, VALUES_FILES, missing

PYTHON_VALIDATORS = (
    "kubernetes_validate",
    "cloudcoil.models.knative_serving",
    "cloudcoil.models.knative_eventing",
    "cloudcoil.models.istio",
)


@pytest.fixture(scope="module")
def python_validators() -> None:
    for module in PYTHON_VALIDATORS:
        if importlib.util.find_spec(module.split(".")[0]) is None or (
            "." in module and importlib.util.find_spec(module) is None
        ):
            missing(module)


@pytest.fixture(scope="module")
def node() -> str:
    found = shutil.which("node")
    if found is None:
        missing("node")
    if not (NODE_PACKAGE / "node_modules" / "@kubernetes-models" / "knative").is_dir():
        missing("tests/deploy/node/node_modules")
    assert found is not None
    return found


def assert_valid(docs: list[dict[str, Any]], node: str) -> None:
    assert docs, "nothing to validate"
    errors = validation.python_errors(docs)
    for result in validation.node_results(node, NODE_PACKAGE, docs):
        if result["status"] == "invalid":
            errors.append(f"{result['kind']}/{result['name']}: {result['error']}")
        elif result["status"] == "unsupported" and (
            result["kind"] not in {"Namespace", "ConfigMap"}
        ):
            errors.append(f"{result['kind']}/{result['name']}: no @kubernetes-models schema")
    assert errors == []


@pytest.mark.usefixtures("python_validators")
def test_knative_dir_is_valid(knative_docs: list[dict[str, Any]], node: str) -> None:
    assert_valid(knative_docs, node)


@pytest.mark.usefixtures("python_validators")
@pytest.mark.parametrize("values_file", VALUES_FILES)
def test_helm_render_is_valid(
    values_file: str, helm_render: Callable[[str], list[dict[str, Any]]], node: str
) -> None:
    assert_valid(helm_render(values_file), node)


def _break(docs: list[dict[str, Any]], kind: str, edit: Callable[[dict[str, Any]], None]) -> Any:
    """A copy of the first object of `kind`, with one mistake in it."""
    broken = copy.deepcopy(next(d for d in docs if d["kind"] == kind))
    edit(broken)
    return broken


MISTAKES: dict[str, tuple[str, Callable[[dict[str, Any]], None]]] = {
    "unknown container field": (
        "Service",
        lambda d: d["spec"]["template"]["spec"]["containers"][0].update(bogus=1),
    ),
    "string port": (
        "Service",
        lambda d: d["spec"]["template"]["spec"]["containers"][0]["ports"][0].update(
            containerPort="http"
        ),
    ),
    "unknown backoff policy": (
        "Trigger",
        lambda d: d["spec"]["delivery"].update(backoffPolicy="sometimes"),
    ),
    "non ISO-8601 delay": ("Trigger", lambda d: d["spec"]["delivery"].update(backoffDelay="200ms")),
    "trigger without broker": ("Trigger", lambda d: d["spec"].pop("broker")),
    "misspelt uri match": (
        "VirtualService",
        lambda d: d["spec"]["http"][0]["match"][0].update(uri={"regexp": "^/x$"}),
    ),
    "unknown configmap field": ("ConfigMap", lambda d: d.update(bogus=True)),
}


@pytest.mark.usefixtures("python_validators")
@pytest.mark.parametrize("mistake", sorted(MISTAKES))
def test_validation_catches_mistakes(
    mistake: str, knative_docs: list[dict[str, Any]], node: str
) -> None:
    """The validators are not a rubber stamp: each typical mistake is caught."""
    kind, edit = MISTAKES[mistake]
    if not any(d["kind"] == kind for d in knative_docs):
        pytest.skip(f"the registry generates no {kind} to break")
    with pytest.raises(AssertionError):
        assert_valid([_break(knative_docs, kind, edit)], node)


@pytest.mark.usefixtures("python_validators")
def test_cached_core_validation_agrees_with_kubernetes_validate(
    knative_docs: list[dict[str, Any]],
) -> None:
    """The schemas cached in deploy_validation are kubernetes-validate's own, strict."""
    import kubernetes_validate

    service = next(d for d in knative_docs if d["kind"] == "Service")
    config = next(d for d in knative_docs if d["kind"] == "ConfigMap")
    for doc in (config, validation.pod_of(service)):
        kubernetes_validate.validate(doc, validation.KUBERNETES_VERSION, strict=True)
        assert validation.kubernetes_errors(doc) == []
    bad = {**config, "bogus": 1}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, validation.KUBERNETES_VERSION, strict=True)
    assert validation.kubernetes_errors(bad)
