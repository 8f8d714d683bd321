"""The generated OpenAPI document: valid 3.1, one operation per HTTP function, honest roles."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate
from pydantic import BaseModel, ConfigDict, Field

from shopfn import openapi, registry
from shopfn.registry import FunctionSpec


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page: int = Field(default=1, ge=1)
    color: str | None = None


class Body(BaseModel):
    name: str


class Answer(BaseModel):
    id: str = Field(alias="_id")


def handler(req: Any) -> None:
    return None


def spec(**fields: Any) -> FunctionSpec:
    base: dict[str, Any] = {
        "name": "things-get",
        "kind": "http",
        "handler": handler,
        "module": "tests",
        "method": "GET",
        "path": "/api/things/{id}",
    }
    return FunctionSpec(**{**base, **fields})


def test_the_real_registry_gives_a_valid_openapi_31_document() -> None:
    doc = openapi.build(registry.discover())
    validate(doc)
    http = [s for s in registry.all_functions().values() if s.kind == "http"]
    assert sum(len(ops) for ops in doc["paths"].values()) == len(http)


def test_path_and_query_parameters_without_null_branches() -> None:
    doc = openapi.build({"things-get": spec(query=Query, response=Answer)})
    params = {p["name"]: p for p in doc["paths"]["/api/things/{id}"]["get"]["parameters"]}
    assert params["id"]["in"] == "path" and params["id"]["required"] is True
    assert params["page"]["schema"]["minimum"] == 1 and not params["page"]["required"]
    assert params["color"]["schema"]["type"] == "string"
    assert "default" not in params["color"]["schema"]
    validate(doc)


def test_roles_become_security_and_error_responses() -> None:
    doc = openapi.build(
        {
            "things-get": spec(),
            "things-create": spec(
                name="things-create",
                method="POST",
                path="/api/things",
                auth="admin",
                body=Body,
                status=201,
            ),
        }
    )
    public = doc["paths"]["/api/things/{id}"]["get"]
    admin = doc["paths"]["/api/things"]["post"]
    assert public["security"] == [{}, {"bearerAuth": []}] and "403" not in public["responses"]
    assert admin["security"] == [{"bearerAuth": []}] and admin["x-required-role"] == "admin"
    assert {"401", "403", "409", "413", "415", "422", "201"} <= set(admin["responses"])
    assert admin["requestBody"]["required"] is True
    problem = doc["components"]["responses"]["Problem422"]["content"]
    assert problem["application/problem+json"]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_a_204_has_no_content_and_responses_use_aliases() -> None:
    doc = openapi.build(
        {
            "things-delete": spec(name="things-delete", method="DELETE", status=204),
            "things-get": spec(response=Answer),
        }
    )
    assert "content" not in doc["paths"]["/api/things/{id}"]["delete"]["responses"]["204"]
    assert "_id" in doc["components"]["schemas"]["Answer"]["properties"]


def test_null_defaults_are_dropped_only_where_null_is_not_allowed() -> None:
    schema = {
        "properties": {
            "a": {"type": "string", "default": None},
            "b": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        }
    }
    cleaned = openapi._drop_null_defaults(schema)
    assert "default" not in cleaned["properties"]["a"]
    assert cleaned["properties"]["b"]["default"] is None


def test_swagger_page_loads_only_local_assets() -> None:
    page = openapi.swagger_page("/docs/assets")
    assert "https://" not in page and "/docs/assets/swagger-ui-bundle.js" in page
    assert "<script>" not in page  # no inline script: a strict CSP can hold
    assert '"/openapi.json"' in openapi.swagger_init("/openapi.json")
