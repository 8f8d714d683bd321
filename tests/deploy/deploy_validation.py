"""Offline validation of cluster objects by registry-installed validators.

- core Kubernetes kinds, and every Knative Service's pod spec (as a Pod): `kubernetes-validate`,
  strict (unknown fields fail);
- Knative Serving / Eventing and Istio kinds: the cloudcoil pydantic models (types), with the
  dump compared to the input because the models drop unknown fields silently, and the
  `@kubernetes-models` JSON schemas through node (types, formats);
- what those models do not check (tooling.md): enums, ISO-8601 durations, required fields,
  annotation values. These few rules are written here on purpose.
"""

from __future__ import annotations

import copy
import functools
import importlib
import json
import re
import subprocess
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

KUBERNETES_VERSION = "1.32.0"
CORE_KINDS = {("v1", "Namespace"), ("v1", "ConfigMap")}
CLOUDCOIL_MODELS = {
    ("serving.knative.dev/v1", "Service"): "knative_serving.serving.v1",
    ("eventing.knative.dev/v1", "Broker"): "knative_eventing.eventing.v1",
    ("eventing.knative.dev/v1", "Trigger"): "knative_eventing.eventing.v1",
    ("sources.knative.dev/v1", "PingSource"): "knative_eventing.sources.v1",
    ("sources.knative.dev/v1", "SinkBinding"): "knative_eventing.sources.v1",
    ("networking.istio.io/v1beta1", "VirtualService"): "istio.networking.v1beta1",
}
ISO_DURATION = re.compile(
    r"^P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)
GO_DURATION = re.compile(r"^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$")
DNS_LABEL = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")
LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$")
CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z?]+$")
BACKOFF_POLICIES = {"linear", "exponential"}
FILTER_DIALECTS = {"exact", "prefix", "suffix", "all", "any", "not", "cesql"}


def key(doc: dict[str, Any]) -> tuple[str, str]:
    return (str(doc.get("apiVersion")), str(doc.get("kind")))


def describe(doc: dict[str, Any]) -> str:
    return f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


# ---- kubernetes-validate ---------------------------------------------------------------------


@functools.cache
def _core_validator(api_version: str, kind: str) -> Any:
    """The strict schema validator for one core kind, built once: kubernetes-validate's own
    `validate` re-reads its large definitions file on every call."""
    import jsonschema
    from kubernetes_validate import utils
    from referencing import Registry, Resource

    schema_dir = f"kubernetes-json-schema/v{KUBERNETES_VERSION}-local-strict"
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    schema = utils.schema_contents(
        f"{schema_dir}/{kind.lower()}-{group_version}.json", KUBERNETES_VERSION
    )
    definitions = utils.schema_contents(f"{schema_dir}/_definitions.json", KUBERNETES_VERSION)
    registry = Resource.from_contents(definitions) @ (Resource.from_contents(schema) @ Registry())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def kubernetes_errors(doc: dict[str, Any]) -> list[str]:
    validator = _core_validator(str(doc["apiVersion"]), str(doc["kind"]))
    return [
        f"{describe(doc)}: {error.message} at {list(error.absolute_path)}"
        for error in validator.iter_errors(doc)
    ]


def pod_of(ksvc: dict[str, Any]) -> dict[str, Any]:
    """A Knative Service's revision template as the Pod it becomes, for the core schema.

    Knative fills a probe's port with the container port (its probes must not name one), so
    the copy does that before the core schema, which requires the port, sees it.
    """
    template = copy.deepcopy(ksvc["spec"]["template"])
    for container in template["spec"].get("containers", []):
        port = (container.get("ports") or [{}])[0].get("containerPort", 8080)
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            http_get = _get(container, probe, "httpGet")
            if isinstance(http_get, dict):
                http_get.setdefault("port", port)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": ksvc["metadata"]["name"], **template.get("metadata", {})},
        "spec": template["spec"],
    }


# ---- cloudcoil -------------------------------------------------------------------------------


def cloudcoil_model(doc: dict[str, Any]) -> Any:
    module_name = CLOUDCOIL_MODELS.get(key(doc))
    if module_name is None:
        return None
    # The generated models warn at import (field shadowing); the tests run warnings as errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        module = importlib.import_module(f"cloudcoil.models.{module_name}")
    return getattr(module, str(doc["kind"]))


def cloudcoil_errors(doc: dict[str, Any]) -> list[str]:
    model = cloudcoil_model(doc)
    if model is None:
        return [f"{describe(doc)}: no cloudcoil model"]
    try:
        parsed = model.model_validate(doc)
    # pydantic.ValidationError is a ValueError; a constraint on a coerced value raises TypeError.
    except (ValueError, TypeError) as exc:
        return [f"{describe(doc)}: {exc}"]
    dumped = parsed.model_dump(by_alias=True, exclude_unset=True, mode="json")
    if dumped != doc:
        return [f"{describe(doc)}: unknown or mistyped fields: {sorted(diff_paths(doc, dumped))}"]
    return []


def diff_paths(want: Any, got: Any, path: str = "") -> set[str]:
    """Where two JSON-like values differ (the fields a model dropped or coerced)."""
    if isinstance(want, dict) and isinstance(got, dict):
        out: set[str] = set()
        for k in set(want) | set(got):
            out |= diff_paths(want.get(k), got.get(k), f"{path}.{k}")
        return out
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        out = set()
        for i, (a, b) in enumerate(zip(want, got, strict=True)):
            out |= diff_paths(a, b, f"{path}[{i}]")
        return out
    return set() if want == got else {path or "."}


# ---- @kubernetes-models through node ----------------------------------------------------------


def node_results(node: str, package: Path, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = subprocess.run(
        [node, str(package / "validate.js")],
        input=json.dumps(docs),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    results: list[dict[str, Any]] = json.loads(out.stdout)
    return results


# ---- what the models miss --------------------------------------------------------------------


def _get(doc: Any, *path: str) -> Any:
    for part in path:
        if not isinstance(doc, dict) or part not in doc:
            return None
        doc = doc[part]
    return doc


def _require(doc: dict[str, Any], errors: list[str], *path: str) -> Any:
    value = _get(doc, *path)
    if value in (None, "", [], {}):
        errors.append(f"{describe(doc)}: {'.'.join(path)} is required")
    return value


def _destination(doc: dict[str, Any], errors: list[str], *path: str) -> None:
    """A Knative Destination: a ref (apiVersion, kind, name) or a uri."""
    dest = _require(doc, errors, *path)
    if isinstance(dest, dict) and "uri" not in dest:
        for field in ("apiVersion", "kind", "name"):
            _require(doc, errors, *path, "ref", field)


def _metadata_rules(doc: dict[str, Any], errors: list[str]) -> None:
    name = _require(doc, errors, "metadata", "name")
    if isinstance(name, str) and not DNS_LABEL.match(name):
        errors.append(f"{describe(doc)}: name is not a DNS-1123 label")
    for label, value in (_get(doc, "metadata", "labels") or {}).items():
        if not isinstance(value, str) or not LABEL_VALUE.match(value):
            errors.append(f"{describe(doc)}: label {label}={value!r} is not a valid value")


def _autoscaling_rules(doc: dict[str, Any], errors: list[str]) -> None:
    notes = _get(doc, "spec", "template", "metadata", "annotations") or {}
    bounds = {}
    for name in ("min-scale", "max-scale", "target"):
        raw = notes.get(f"autoscaling.knative.dev/{name}")
        if raw is None or not isinstance(raw, str) or not raw.isdigit():
            errors.append(f"{describe(doc)}: autoscaling {name} must be a digit string: {raw!r}")
        else:
            bounds[name] = int(raw)
    if bounds.get("max-scale") and bounds.get("min-scale", 0) > bounds["max-scale"]:
        errors.append(f"{describe(doc)}: min-scale above max-scale")
    retention = notes.get("autoscaling.knative.dev/scale-to-zero-pod-retention-period", "")
    if not GO_DURATION.match(str(retention)):
        errors.append(f"{describe(doc)}: retention {retention!r} is not a duration")


def _service_rules(doc: dict[str, Any], errors: list[str]) -> None:
    containers = _require(doc, errors, "spec", "template", "spec", "containers") or []
    for container in containers:
        if not container.get("image"):
            errors.append(f"{describe(doc)}: a container has no image")
        for probe in ("readinessProbe", "livenessProbe"):
            if _get(container, probe, "httpGet", "port") is not None:
                errors.append(f"{describe(doc)}: Knative probes must not name a port")
    _autoscaling_rules(doc, errors)


def _trigger_rules(doc: dict[str, Any], errors: list[str]) -> None:
    _require(doc, errors, "spec", "broker")
    _destination(doc, errors, "spec", "subscriber")
    for expression in _get(doc, "spec", "filters") or []:
        if len(expression) != 1 or next(iter(expression)) not in FILTER_DIALECTS:
            errors.append(f"{describe(doc)}: filter {expression!r} is not one dialect")
    if _get(doc, "spec", "filters") and _get(doc, "spec", "filter"):
        errors.append(f"{describe(doc)}: both filter and filters (filter would be ignored)")
    delivery = _get(doc, "spec", "delivery") or {}
    if "backoffPolicy" in delivery and delivery["backoffPolicy"] not in BACKOFF_POLICIES:
        errors.append(f"{describe(doc)}: backoffPolicy {delivery['backoffPolicy']!r}")
    if "backoffDelay" in delivery and not ISO_DURATION.match(str(delivery["backoffDelay"])):
        errors.append(f"{describe(doc)}: backoffDelay {delivery['backoffDelay']!r} not ISO-8601")
    if "retry" in delivery and (not isinstance(delivery["retry"], int) or delivery["retry"] < 0):
        errors.append(f"{describe(doc)}: retry must be a non-negative integer")
    if "deadLetterSink" in delivery:
        _destination(doc, errors, "spec", "delivery", "deadLetterSink")


def _ping_rules(doc: dict[str, Any], errors: list[str]) -> None:
    schedule = _require(doc, errors, "spec", "schedule")
    fields = str(schedule or "").split()
    if len(fields) != 5 or not all(CRON_FIELD.match(f) for f in fields):
        errors.append(f"{describe(doc)}: schedule {schedule!r} is not a 5-field cron")
    _destination(doc, errors, "spec", "sink")


def _sink_binding_rules(doc: dict[str, Any], errors: list[str]) -> None:
    for field in ("apiVersion", "kind"):
        _require(doc, errors, "spec", "subject", field)
    subject = _get(doc, "spec", "subject") or {}
    if ("name" in subject) == ("selector" in subject):
        errors.append(f"{describe(doc)}: subject needs exactly one of name and selector")
    _destination(doc, errors, "spec", "sink")


def _broker_rules(doc: dict[str, Any], errors: list[str]) -> None:
    annotations = _get(doc, "metadata", "annotations") or {}
    if annotations.get("eventing.knative.dev/broker.class") != "Kafka":
        errors.append(f"{describe(doc)}: broker class is not Kafka")
    for field in ("apiVersion", "kind", "name"):
        _require(doc, errors, "spec", "config", field)


def _virtual_service_rules(doc: dict[str, Any], errors: list[str]) -> None:
    _require(doc, errors, "spec", "hosts")
    for route in _get(doc, "spec", "http") or []:
        for match in route.get("match", []):
            uri = match.get("uri", {})
            if len(uri) != 1 or next(iter(uri)) not in {"exact", "prefix", "regex"}:
                errors.append(f"{describe(doc)}: route {route.get('name')} uri {uri!r}")
        hosts = [_get(dest, "destination", "host") for dest in route.get("route", [])]
        if not hosts or not all(hosts):
            errors.append(f"{describe(doc)}: route {route.get('name')} has no destination")


RULES: dict[str, Callable[[dict[str, Any], list[str]], None]] = {
    "Service": _service_rules,
    "Trigger": _trigger_rules,
    "PingSource": _ping_rules,
    "SinkBinding": _sink_binding_rules,
    "Broker": _broker_rules,
    "VirtualService": _virtual_service_rules,
}


def rule_errors(doc: dict[str, Any]) -> list[str]:
    errors: list[str] = []
    _metadata_rules(doc, errors)
    rule = RULES.get(str(doc.get("kind")))
    if rule is not None:
        rule(doc, errors)
    return errors


def python_errors(docs: Iterable[dict[str, Any]]) -> list[str]:
    """Everything the Python validators find, over all docs; kinds nobody knows are errors."""
    errors: list[str] = []
    for doc in docs:
        if key(doc) in CORE_KINDS:
            errors += kubernetes_errors(doc)
        elif key(doc) in CLOUDCOIL_MODELS:
            errors += cloudcoil_errors(doc)
            if doc["kind"] == "Service":
                errors += kubernetes_errors(pod_of(doc))
        else:
            errors.append(f"{describe(doc)}: no validator for {key(doc)}")
        errors += rule_errors(doc)
    return errors
