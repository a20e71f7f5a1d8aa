"""Swagger 2.0 -> OpenAPI 3.0 conversion: what real ERP specs use, and pointers mapped back."""

from __future__ import annotations

from typing import Any

from interop.harness.loading import load_document
from interop.harness.swagger import convert_swagger2
from interop.harness.validation import validate_contract

SWAGGER: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "ERP", "version": "9"},
    "host": "erp.example.com",
    "basePath": "/api",
    "schemes": ["https"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "securityDefinitions": {
        "basic": {"type": "basic"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "oauth": {
            "type": "oauth2",
            "flow": "application",
            "tokenUrl": "https://erp.example.com/token",
            "scopes": {"read": "read"},
        },
    },
    "security": [{"basic": []}],
    "parameters": {"top": {"name": "$top", "in": "query", "type": "integer", "minimum": 1}},
    "responses": {"Error": {"description": "error", "schema": {"$ref": "#/definitions/Error"}}},
    "paths": {
        "/workers/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
            "get": {
                "operationId": "getWorker",
                "parameters": [
                    {"$ref": "#/parameters/top"},
                    {
                        "name": "tags",
                        "in": "query",
                        "type": "array",
                        "items": {"type": "string"},
                        "collectionFormat": "multi",
                    },
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "schema": {"$ref": "#/definitions/Worker"},
                        "headers": {"ETag": {"type": "string"}},
                        "examples": {"application/json": {"id": "1"}},
                    },
                    "default": {"$ref": "#/responses/Error"},
                },
            },
            "put": {
                "parameters": [
                    {
                        "name": "body",
                        "in": "body",
                        "required": True,
                        "schema": {"$ref": "#/definitions/Worker"},
                    }
                ],
                "responses": {"204": {"description": "done"}},
            },
            "post": {
                "consumes": ["multipart/form-data"],
                "parameters": [
                    {"name": "photo", "in": "formData", "type": "file", "required": True},
                    {"name": "caption", "in": "formData", "type": "string"},
                ],
                "responses": {"201": {"description": "uploaded"}},
            },
        }
    },
    "definitions": {
        "Worker": {
            "type": "object",
            "discriminator": "kind",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "kind": {"type": "string"},
                "manager": {"$ref": "#/definitions/Worker", "x-nullable": True},
            },
        },
        "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
    },
}


def test_conversion_covers_what_erp_specs_use() -> None:
    out, _ = convert_swagger2(SWAGGER, file="s.json")
    assert out["openapi"] == "3.0.3"
    assert out["servers"] == [{"url": "https://erp.example.com/api"}]
    schemes = out["components"]["securitySchemes"]
    assert schemes["basic"] == {"type": "http", "scheme": "basic"}
    assert schemes["key"] == {"type": "apiKey", "name": "X-Key", "in": "header"}
    assert schemes["oauth"]["flows"]["clientCredentials"]["scopes"] == {"read": "read"}
    item = out["paths"]["/workers/{id}"]
    get = item["get"]
    names = [(p["name"], p["in"]) for p in get["parameters"]]
    assert names == [("id", "path"), ("$top", "query"), ("tags", "query")]
    assert get["parameters"][0]["required"] is True
    assert get["parameters"][2]["style"] == "form" and get["parameters"][2]["explode"] is True
    ok = get["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Worker"}
    assert ok["content"]["application/json"]["example"] == {"id": "1"}
    assert ok["headers"]["ETag"]["schema"] == {"type": "string"}
    assert get["responses"]["default"] == {"$ref": "#/components/responses/Error"}
    put = item["put"]["requestBody"]
    assert put["required"] is True
    assert put["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Worker"
    form = item["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert form["properties"]["photo"] == {"type": "string", "format": "binary"}
    assert form["required"] == ["photo"]
    worker = out["components"]["schemas"]["Worker"]
    assert worker["discriminator"] == {"propertyName": "kind"}
    assert worker["properties"]["manager"]["nullable"] is True


def test_converted_document_is_valid_openapi_30() -> None:
    contract = load_document(SWAGGER)
    assert contract.source_format == "2.0"
    assert validate_contract(contract) == []


def test_source_is_left_untouched() -> None:
    import copy

    before = copy.deepcopy(SWAGGER)
    convert_swagger2(SWAGGER, file="s.json")
    assert before == SWAGGER


def test_pointer_map_goes_back_to_the_source() -> None:
    _, back = convert_swagger2(SWAGGER, file="s.json")
    assert back("/components/schemas/Worker/properties/id") == "/definitions/Worker/properties/id"
    assert back("/components/securitySchemes/basic") == "/securityDefinitions/basic"
    assert back("/paths/~1workers~1{id}/get") == "/paths/~1workers~1{id}/get"


def test_refs_into_operations_follow_the_move() -> None:
    document = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/a": {
                "get": {"responses": {"200": {"description": "ok", "schema": {"type": "string"}}}}
            },
            "/b": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "schema": {"$ref": "#/paths/~1a/get/responses/200/schema"},
                        }
                    }
                }
            },
        },
    }
    contract = load_document(document)
    schema = contract.document["paths"]["/b"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert contract.resolve(schema)[0] == {"type": "string"}


def test_path_item_ref_is_converted_where_used() -> None:
    document = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/u": {"$ref": "#/definitions/users"}},
        "definitions": {"users": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    contract = load_document(document)
    [(method, path, _, _)] = list(contract.operations())
    assert (method, path) == ("GET", "/u")
