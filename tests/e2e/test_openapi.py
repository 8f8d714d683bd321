"""The OpenAPI document and Swagger UI the emulator serves, and schemathesis fuzzing against it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from shopfn import registry
from shopfn.servers import ENV_VARS
from tests.e2e.conftest import Gateway

pytestmark = pytest.mark.servers("mongo", "redis", "elasticsearch")
MIN_REQUESTS = 1000
# /api/users/me shares its shape with /api/users/{id}: DELETE and PATCH of "me" really reach
# users-delete and users-update, which OpenAPI cannot say, so the Allow check would flag it.
NOT_FUZZED = {"users-me"}


def test_every_http_function_is_an_operation(gateway: Gateway) -> None:
    doc = gateway.http.get(f"{gateway.url}/openapi.json", timeout=10).json()
    assert doc["openapi"] == "3.1.0"
    specs = [s for s in registry.discover().values() if s.kind == "http"]
    for spec in specs:
        operation = doc["paths"][spec.path][spec.method.lower()]
        assert operation["operationId"] == spec.name
        assert operation["x-required-role"] == spec.auth
        if spec.auth == "public":
            assert {} in operation["security"]
        else:
            assert operation["security"] == [{"bearerAuth": []}]
            assert "403" in operation["responses"]
        assert "401" in operation["responses"]
        if spec.body is not None:
            assert "422" in operation["responses"] and "requestBody" in operation
    operations = sum(len(methods) for methods in doc["paths"].values())
    assert operations == len(specs)
    problem = doc["components"]["responses"]["Problem404"]["content"]
    assert "application/problem+json" in problem
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_swagger_ui_is_served_without_a_cdn(gateway: Gateway) -> None:
    page = gateway.http.get(f"{gateway.url}/docs", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert "/docs/assets/swagger-ui-bundle.js" in page.text
    assert "http://" not in page.text and "https://" not in page.text
    bundle = gateway.http.get(f"{gateway.url}/docs/assets/swagger-ui-bundle.js", timeout=10)
    assert bundle.status_code == 200 and len(bundle.content) > 100_000
    init = gateway.http.get(f"{gateway.url}/docs/assets/docs-init.js", timeout=10).text
    assert '"/openapi.json"' in init


def fuzzable_operations() -> list[str]:
    """Operations whose stores this session runs (others would only answer 503)."""
    store_vars = {**ENV_VARS, "mongo": "SHOPFN_MONGO_URL"}
    names = []
    for spec in registry.discover().values():
        if spec.kind != "http" or spec.name in NOT_FUZZED:
            continue
        if all(os.environ.get(store_vars.get(store, ""), "") for store in spec.stores):
            names.append(spec.name)
    return names


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_schemathesis_finds_no_server_errors_or_schema_violations(
    gateway: Gateway, tmp_path: Path
) -> None:
    operations = fuzzable_operations()
    schemathesis = shutil.which("schemathesis", path=str(Path(sys.executable).parent))
    assert schemathesis, "install the dev extras (schemathesis)"
    argv = [
        "timeout",
        "840",
        schemathesis,
        "run",
        f"{gateway.url}/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        "40",
        "--seed",
        "1",
        "--phases",
        "coverage,fuzzing",
        "--generation-database",
        "none",
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--report",
        "har",
        "--report-dir",
        str(tmp_path),
        # Admin sees every route; a made-up client address keeps login failures from
        # throttling 127.0.0.1 for the tests that come after.
        "-H",
        f"Authorization: Bearer {gateway.token('admin', 'schemathesis-admin')}",
        "-H",
        "X-Forwarded-For: 203.0.113.77",
        "--include-operation-id-regex",
        "^(" + "|".join(operations) + ")$",
    ]
    env = {**os.environ, "NO_COLOR": "1"}
    run = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    output = run.stdout[-20_000:] + run.stderr[-5_000:]
    assert run.returncode == 0, output
    har = json.loads(next(tmp_path.glob("*.json")).read_text())
    sent = len(har["log"]["entries"])
    print(f"schemathesis: {sent} requests over {len(operations)} operations")
    assert sent >= MIN_REQUESTS, output
