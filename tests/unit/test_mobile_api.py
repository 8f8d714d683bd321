"""The Flutter app's API client calls only routes the API has, with the right method.

No Dart SDK runs here, so the Dart source is read as text: every call goes through
`_send('<METHOD>', '<path>'...)` with literal strings (`$id` / `${x.id}` for path values).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from shopfn import openapi, registry

CLIENT = Path(__file__).resolve().parents[2] / "mobile" / "lib" / "api" / "client.dart"
CALL = re.compile(r"_send\(\s*'(GET|POST|PUT|PATCH|DELETE)',\s*'([^']+)'")
DART_VALUE = re.compile(r"\$\{[^}]+\}|\$[A-Za-z_][A-Za-z0-9_]*")
TEMPLATE = re.compile(r"\{[^}]+\}")


def dart_calls(source: str) -> list[tuple[str, str]]:
    """(method, path with every interpolated value as `{}`) of each `_send` call."""
    return [(method, DART_VALUE.sub("{}", path)) for method, path in CALL.findall(source)]


def api_routes(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), TEMPLATE.sub("{}", path))
        for path, operations in document["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_dart_calls_are_read_as_written() -> None:
    source = "_send('GET', '/api/orders/$id/x/${o.id}', query: q); _send(\n 'POST', '/api/a')"
    assert dart_calls(source) == [("GET", "/api/orders/{}/x/{}"), ("POST", "/api/a")]


def test_every_call_of_the_mobile_client_exists_in_the_openapi_document() -> None:
    source = CLIENT.read_text()
    calls = dart_calls(source)
    # Every `_send(` call site (but the definition) must be one the pattern understood.
    sites = source.count("_send(") - source.count("Future<Map<String, dynamic>> _send(")
    assert len(calls) == sites, "a _send call without a literal method and path"
    assert len(calls) >= 12
    routes = api_routes(openapi.build(registry.discover()))
    missing = sorted(set(calls) - routes)
    assert not missing, f"the Dart client calls routes the API does not have: {missing}"


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/products/{}"), ("POST", "/api/auth/refresh"), ("GET", "/api/analytics/summary")],
)
def test_the_routes_the_app_depends_on_most_are_called(method: str, path: str) -> None:
    assert (method, path) in dart_calls(CLIENT.read_text())
