"""Every operation of /openapi.json documents what it answers: a JSON answer has a real
schema (never a free-form `object`), a file declares its media types, and nothing dangles."""

from __future__ import annotations

import pytest

JSON_TYPES = ("application/json", "application/geo+json", "application/problem+json")


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def free_form(schema: dict, components: dict) -> bool:
    """Whether a schema says nothing of its answer's shape: `{}`, or an object without
    properties whose values are not typed either (a union is free-form if all its parts are)."""
    schema = _resolve(schema, components)
    if not schema:
        return True
    for union in ("anyOf", "oneOf", "allOf"):
        if union in schema:
            return all(free_form(s, components) for s in schema[union])
    if schema.get("type") == "array":
        return "items" not in schema or free_form(schema["items"], components)
    if schema.get("type", "object") != "object":
        return False  # a string, number, boolean: a shape of its own
    if schema.get("properties"):
        return False
    values = schema.get("additionalProperties")
    return not (isinstance(values, dict) and values and not free_form(values, components))


def undocumented(spec: dict) -> list[str]:
    """Every 2xx answer of every operation that lacks a schema or a declared media type."""
    components = spec.get("components", {}).get("schemas", {})
    found = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if not status.startswith("2") or status == "204":
                    continue
                where = f"{method.upper()} {path} {status}"
                content = answer.get("content")
                if not content:
                    found.append(f"{where}: no media type")
                for media_type, body in (content or {}).items():
                    if "schema" not in body:
                        found.append(f"{where} {media_type}: no schema")
                    elif media_type in JSON_TYPES and free_form(body["schema"], components):
                        found.append(f"{where} {media_type}: a free-form object")
    return found


@pytest.fixture(scope="module")
def spec(live_server) -> dict:
    return live_server.app.openapi()


def test_every_operation_documents_its_answer(spec):
    operations = sum(len(ops) for ops in spec["paths"].values())
    assert operations >= 90
    assert undocumented(spec) == []


def test_the_check_catches_what_it_should():
    """The walk itself: a free-form object, an answer without a media type and an empty
    schema are caught; a model, a typed mapping and a declared file are not."""
    components = {
        "Loose": {"type": "object", "additionalProperties": True, "title": "Loose"},
        "Plan": {"type": "object", "properties": {"code": {"type": "string"}}},
    }

    def answer(schema: dict | None = None, media_type: str = "application/json") -> dict:
        return {"content": {media_type: {} if schema is None else {"schema": schema}}}

    spec = {
        "components": {"schemas": components},
        "paths": {
            "/free": {"get": {"responses": {"200": answer({"type": "object"})}}},
            "/ref-free": {"get": {"responses": {"200": answer({"$ref": "#/c/s/Loose"})}}},
            "/any": {"get": {"responses": {"200": answer({})}}},
            "/none": {"get": {"responses": {"200": {"description": "ok"}}}},
            "/no-schema": {"get": {"responses": {"200": answer(None, "text/csv")}}},
            "/list-free": {"get": {"responses": {"200": answer({"type": "array"})}}},
            "/model": {"post": {"responses": {"201": answer({"$ref": "#/c/s/Plan"})}}},
            "/typed-map": {
                "get": {
                    "responses": {
                        "200": answer(
                            {"type": "object", "additionalProperties": {"$ref": "#/c/s/Plan"}}
                        )
                    }
                }
            },
            "/file": {"get": {"responses": {"200": answer({"type": "string"}, "application/pdf")}}},
            "/gone": {"delete": {"responses": {"204": {"description": "gone"}}}},
        },
    }
    flagged = {line.split()[1] for line in undocumented(spec)}
    assert flagged == {"/free", "/ref-free", "/any", "/none", "/no-schema", "/list-free"}


def test_exports_declare_their_media_types(spec):
    def media_types(path: str) -> set[str]:
        return set(spec["paths"][path]["get"]["responses"]["200"]["content"])

    assert media_types("/api/v1/plans/{code}/data.csv") == {"text/csv"}
    assert media_types("/api/v1/monitoring-reports/{report_id}.pdf") == {"application/pdf"}
    assert media_types("/api/v1/monitoring-reports/{report_id}.html") == {"text/html"}
    assert media_types("/api/v1/admin/audit.csv") == {"text/csv"}
    assert "application/pdf" in media_types("/api/v1/evidence/{evidence_id}")
    assert "application/geopackage+sqlite3" in media_types("/api/v1/planner/exports/{layer}")
