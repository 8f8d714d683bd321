"""The OpenAPI 3.1 document, generated from the registry and the functions' pydantic models.

Every HTTP function becomes one operation: its path and query parameters, its JSON body, its
success response, the problem+json errors any route can answer with, and the bearer token and
role it needs. Pydantic's JSON Schemas are 2020-12, which OpenAPI 3.1 uses as they are.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from shopfn.errors import PROBLEM_CONTENT_TYPE
from shopfn.registry import FunctionSpec

OPENAPI_VERSION = "3.1.0"
REF_TEMPLATE = "#/components/schemas/{model}"
_PARAM = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "An RFC 9457 problem; `errors` lists each invalid field of a 422.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "requestId": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "in": {"type": "string"},
                },
            },
        },
    },
}

# Why each status can come back; which ones an operation lists depends on what it declares.
ERROR_REASONS: dict[int, str] = {
    400: "Malformed request (bad JSON, missing body)",
    401: "No, expired or invalid bearer token",
    403: "Authenticated, but the role or ownership does not allow it",
    404: "No such resource",
    405: "Method not allowed on this path",
    409: "Conflicts with the current state (duplicate, already done)",
    413: "Request body too large",
    415: "Body is not application/json",
    422: "A field of the query or body is invalid",
    429: "Too many requests (rate limit or login throttling); see Retry-After",
    503: "A store or dependency is unavailable; retry later",
}


def _error_statuses(spec: FunctionSpec) -> list[int]:
    # 401: any route refuses a malformed Authorization header, even a public one.
    statuses = {400, 401, 404, 405, 429, 503}
    if spec.auth != "public":
        statuses.add(403)
    if spec.body is not None:
        statuses.update({409, 413, 415, 422})
    if spec.query is not None:
        statuses.add(422)
    if spec.method in ("POST", "PATCH", "PUT", "DELETE"):
        statuses.add(409)
    return sorted(statuses)


def _models(specs: Iterable[FunctionSpec]) -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    seen: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {}
    for spec in specs:
        for model in (spec.body, spec.query):
            if model is not None:
                seen[(model, "validation")] = None
        if spec.response is not None:
            seen[(spec.response, "serialization")] = None
    return list(seen)


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional query parameter is simply left out: drop the `null` branch pydantic adds."""
    options = schema.get("anyOf")
    if not isinstance(options, list):
        return schema
    rest = [option for option in options if option != {"type": "null"}]
    if len(rest) != 1:
        return schema
    merged = {k: v for k, v in schema.items() if k != "anyOf"}
    merged.update(rest[0])
    if merged.get("default", "") is None:
        del merged["default"]
    return merged


def _drop_null_defaults(schema: Any) -> Any:
    """Remove `default: null` where null is not an allowed value (a PATCH field left out)."""
    if isinstance(schema, dict):
        allows_null = schema.get("type") == "null" or {"type": "null"} in schema.get("anyOf", [])
        if "default" in schema and schema["default"] is None and not allows_null:
            del schema["default"]
        for value in schema.values():
            _drop_null_defaults(value)
    elif isinstance(schema, list):
        for item in schema:
            _drop_null_defaults(item)
    return schema


def _resolve(schema: dict[str, Any], components: Mapping[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref", "")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return dict(components[ref.rsplit("/", 1)[1]])
    return schema


def _query_parameters(
    model_schema: dict[str, Any], components: Mapping[str, Any]
) -> list[dict[str, Any]]:
    schema = _resolve(model_schema, components)
    required = set(schema.get("required", []))
    params = []
    for name, prop in schema.get("properties", {}).items():
        prop_schema = _without_null(_resolve(copy.deepcopy(prop), components))
        param: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": prop_schema,
        }
        if "description" in prop_schema:
            param["description"] = prop_schema["description"]
        params.append(param)
    return params


def _path_parameters(path: str) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            # Ids are opaque strings; the bound keeps generated ones on one path segment.
            "schema": {"type": "string", "minLength": 1, "pattern": "^[^/]+$"},
        }
        for name in _PARAM.findall(path)
    ]


def _json(schema: dict[str, Any], content_type: str = "application/json") -> dict[str, Any]:
    return {content_type: {"schema": schema}}


def _operation(spec: FunctionSpec, refs: Mapping[Any, Any], components: Any) -> dict[str, Any]:
    parameters = _path_parameters(spec.path)
    if spec.query is not None:
        parameters += _query_parameters(refs[(spec.query, "validation")], components)
    success: dict[str, Any] = {"description": spec.summary or "OK"}
    if spec.status != 204:
        schema = refs[(spec.response, "serialization")] if spec.response is not None else {}
        success["content"] = _json(schema)
    responses: dict[str, Any] = {str(spec.status): success}
    for status in _error_statuses(spec):
        responses[str(status)] = {"$ref": f"#/components/responses/Problem{status}"}
    operation: dict[str, Any] = {
        "operationId": spec.name,
        "summary": spec.summary or spec.name,
        "tags": list(spec.tags) or [spec.domain],
        "parameters": parameters,
        "responses": responses,
        "x-function": spec.name,
        "x-required-role": spec.auth,
    }
    if spec.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": _json(refs[(spec.body, "validation")]),
        }
    if spec.auth == "public":
        # A token is optional: callers may send one, nobody has to.
        operation["security"] = [{}, {"bearerAuth": []}]
    else:
        operation["security"] = [{"bearerAuth": []}]
        operation["description"] = f"Requires the `{spec.auth}` role (or higher)."
    if spec.emits:
        operation["x-emits"] = list(spec.emits)
    return operation


def build(
    specs: Mapping[str, FunctionSpec], *, title: str = "shopfn API", version: str = "0.1.0"
) -> dict[str, Any]:
    """The whole OpenAPI 3.1 document for the HTTP functions in `specs`."""
    http_specs = [s for s in specs.values() if s.kind == "http"]
    keys, schemas = models_json_schema(_models(http_specs), ref_template=REF_TEMPLATE)
    components: dict[str, Any] = _drop_null_defaults(dict(schemas.get("$defs", {})))
    components["Problem"] = PROBLEM_SCHEMA
    paths: dict[str, dict[str, Any]] = {}
    for spec in sorted(http_specs, key=lambda s: (s.path, s.method)):
        operation = _operation(spec, keys, components)
        paths.setdefault(spec.path, {})[spec.method.lower()] = operation
    responses = {
        f"Problem{status}": {
            "description": reason,
            "content": _json({"$ref": "#/components/schemas/Problem"}, PROBLEM_CONTENT_TYPE),
        }
        for status, reason in ERROR_REASONS.items()
    }
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": title,
            "version": version,
            "description": "Every operation is one serverless function (see `x-function`).",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "responses": responses,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "An access token from POST /api/auth/login or /guest.",
                }
            },
        },
    }


SWAGGER_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="{assets}/swagger-ui-standalone-preset.js"></script>
<script src="{assets}/docs-init.js"></script>
</body>
</html>
"""

# Kept out of the page itself, so a strict Content-Security-Policy (no inline script) holds.
SWAGGER_INIT = """window.ui = SwaggerUIBundle({
  url: "%s",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout"
});
"""


def swagger_assets_dir() -> str:
    """Swagger UI's files from the `swagger-ui-py` package: served locally, never from a CDN."""
    import importlib.util
    from pathlib import Path

    found = importlib.util.find_spec("swagger_ui")
    if found is None or found.origin is None:
        raise FileNotFoundError("install the swagger-ui-py package to serve /docs")
    return str(Path(found.origin).parent / "static")


def swagger_page(assets: str, title: str = "shopfn API") -> str:
    return SWAGGER_PAGE.format(title=title, assets=assets)


def swagger_init(spec_url: str) -> str:
    return SWAGGER_INIT % spec_url
