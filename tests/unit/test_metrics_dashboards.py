"""Dashboards and alert rules name only metrics the code exports, and Prometheus accepts them.

The exported names come from shopfn.metrics.REGISTRY after importing every module that may
declare a metric (the commons and every function), expanded by metric type the way the text
exposition names samples (`_total`, `_bucket`, `_sum`, `_count`, `_created`).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from shopfn import breaker, events, ratelimit, registry, web  # noqa: F401  (their metrics)
from shopfn.metrics import REGISTRY

CHART = Path(__file__).resolve().parents[2] / "helm" / "shopfn"
DASHBOARDS = sorted((CHART / "dashboards").glob("*.json"))
RULES = CHART / "alerts" / "shopfn.rules.yaml"
METRIC = re.compile(r"\b(shopfn_[a-zA-Z0-9_]+)\b")
# Grafana's variables, replaced by plain values so Prometheus can parse the expressions.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}
SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "summary": ("", "_sum", "_count", "_created"),
    "gauge": ("",),
}


def exported_names() -> set[str]:
    registry.discover()
    names: set[str] = set()
    for family in REGISTRY.collect():
        names.update(family.name + suffix for suffix in SUFFIXES.get(family.type, ("",)))
    return names


def dashboard_queries(board: dict[str, Any]) -> list[str]:
    queries = [t["expr"] for p in board["panels"] for t in p.get("targets", []) if "expr" in t]
    for variable in board.get("templating", {}).get("list", []):
        query = variable.get("query")
        if isinstance(query, dict):
            queries.append(query.get("query", ""))
    return queries


def rule_expressions() -> list[str]:
    rules = yaml.safe_load(RULES.read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def promtool() -> str:
    path = shutil.which("promtool")
    assert path, "promtool is missing: run scripts/install-deploy-tools.sh (Debian: prometheus)"
    return path


def test_the_four_dashboards_exist() -> None:
    titles = {json.loads(p.read_text())["uid"] for p in DASHBOARDS}
    assert titles == {"shopfn-overview", "shopfn-function", "shopfn-saga", "shopfn-events"}


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda p: p.stem)
def test_every_dashboard_query_uses_exported_metrics_only(path: Path) -> None:
    exported = exported_names()
    board = json.loads(path.read_text())
    queries = dashboard_queries(board)
    assert len(queries) >= 8
    for query in queries:
        used = set(METRIC.findall(query))
        assert used, f"{path.name}: query names no shopfn metric: {query}"
        assert used <= exported, f"{path.name}: {sorted(used - exported)} not exported: {query}"
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids)), "panel ids must be unique"


def test_every_alert_uses_exported_metrics_only() -> None:
    exported = exported_names()
    expressions = rule_expressions()
    assert len(expressions) >= 4
    for expr in expressions:
        used = set(METRIC.findall(expr))
        assert used and used <= exported, f"{sorted(used - exported)} not exported: {expr}"


def test_the_alerts_cover_latency_errors_dead_letters_and_stuck_sagas() -> None:
    joined = "\n".join(rule_expressions())
    assert "histogram_quantile(0.99" in joined and "> 0.5" in joined
    assert 'status=~"5.."' in joined and "> 0.01" in joined
    assert "shopfn_dead_letters_total" in joined
    assert "shopfn_sagas_stuck" in joined


def test_promtool_accepts_the_alert_rules() -> None:
    result = subprocess.run(
        [promtool(), "check", "rules", str(RULES)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_parses_every_dashboard_query(tmp_path: Path) -> None:
    """Each query becomes a recording rule: promtool then parses it as PromQL."""
    rules = []
    for path in DASHBOARDS:
        for i, query in enumerate(dashboard_queries(json.loads(path.read_text()))):
            if query.startswith("label_values("):
                continue
            for variable, value in GRAFANA_VARIABLES.items():
                query = query.replace(variable, value)
            query = query.replace("$function", "catalog-get")
            rules.append({"record": f"dashboard:{path.stem.replace('-', '_')}:{i}", "expr": query})
    rules_file = tmp_path / "dashboards.rules.yaml"
    rules_file.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}))
    result = subprocess.run(
        [promtool(), "check", "rules", str(rules_file)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_unit_test_fires_the_dead_letter_and_error_alerts(tmp_path: Path) -> None:
    """The rules fire on the series the code exports (promtool test rules, synthetic input)."""
    cart = 'function="cart-add",route="/api/cart",method="POST"'
    spec = {
        "rule_files": [str(RULES)],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": [
                    {
                        "series": 'shopfn_dead_letters_total{subscriber="orders-confirm",'
                        'type="shop.order.created.v1"}',
                        "values": "0 0 1 1 1",
                    },
                    {
                        "series": f'shopfn_http_requests_total{{{cart},status="200"}}',
                        "values": "0+100x20",
                    },
                    {
                        "series": f'shopfn_http_requests_total{{{cart},status="500"}}',
                        "values": "0+5x20",
                    },
                ],
                "alert_rule_test": [
                    {
                        "eval_time": "4m",
                        "alertname": "ShopfnDeadLetter",
                        "exp_alerts": [
                            {
                                "exp_labels": {
                                    "severity": "critical",
                                    "subscriber": "orders-confirm",
                                    "type": "shop.order.created.v1",
                                },
                                "exp_annotations": {
                                    "summary": "dead letter: shop.order.created.v1"
                                    " for orders-confirm",
                                    "description": "The broker gave up delivering"
                                    " shop.order.created.v1 to orders-confirm; inspect and replay"
                                    " it (ops-dead-letters).",
                                },
                            }
                        ],
                    },
                    {
                        "eval_time": "15m",
                        "alertname": "ShopfnHighErrorRate",
                        "exp_alerts": [
                            {
                                "exp_labels": {"severity": "critical", "function": "cart-add"},
                                # 5 of 105 requests a minute fail: 4.762 %
                                "exp_annotations": {
                                    "summary": "cart-add: more than 1 % of requests fail with 5xx",
                                    "description": "4.762% of cart-add's requests answered 5xx"
                                    " over 5 minutes.",
                                },
                            }
                        ],
                    },
                ],
            }
        ],
    }
    test_file = tmp_path / "alerts.test.yaml"
    test_file.write_text(yaml.safe_dump(spec))
    result = subprocess.run(
        [promtool(), "test", "rules", str(test_file)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
