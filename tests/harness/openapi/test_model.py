"""The contract model: one reading of servers, operations, parameters, responses, security."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from interop.harness.errors import ContractError
from interop.harness.loading import load_contract, load_document
from interop.harness.openapi import base_path_of, contract_model, template_key
from tests.conftest import CATALOGUE, CORPORA


def _model(document: dict[str, Any]):
    return contract_model(
        load_document({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, **document})
    )


PETS = {
    "servers": [
        {
            "url": "https://{env}.example.com/{base}/v2/",
            "variables": {"env": {"default": "api"}, "base": {"enum": ["hr", "fin"]}},
        }
    ],
    "security": [{"oauth": ["read"]}],
    "paths": {
        "/pets/{petId}": {
            "parameters": [
                {"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}},
                {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
            ],
            "get": {
                "operationId": "getPet",
                "parameters": [
                    {
                        "name": "x-trace",
                        "in": "header",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {
                        "name": "fields",
                        "in": "query",
                        "schema": {"type": "array"},
                        "explode": False,
                    },
                ],
                "responses": {
                    "200": {"$ref": "#/components/responses/Pet"},
                    "4xx": {"description": "client error"},
                    "default": {"description": "other"},
                },
            },
            "patch": {
                "security": [{}, {"key": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/merge-patch+json": {
                            "schema": {"$ref": "#/components/schemas/Pet"}
                        }
                    },
                },
                "responses": {"204": {"description": "done"}},
                "callbacks": {
                    "changed": {
                        "{$request.body#/hook}": {
                            "post": {
                                "requestBody": {"content": {"application/json": {"schema": {}}}},
                                "responses": {"200": {"description": "ok"}},
                            }
                        }
                    }
                },
            },
        },
    },
    "webhooks": {
        "petBorn": {
            "post": {
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}
                    }
                },
                "responses": {"202": {"description": "taken"}},
            }
        }
    },
    "components": {
        "schemas": {"Pet": {"type": "object", "properties": {"id": {"type": "integer"}}}},
        "responses": {
            "Pet": {
                "description": "a pet",
                "headers": {"ETag": {"required": True, "schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                "links": {
                    "self": {"operationId": "getPet", "parameters": {"petId": "$response.body#/id"}}
                },
            }
        },
        "securitySchemes": {
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {"tokenUrl": "https://x/token", "scopes": {"read": ""}}
                },
            },
            "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        },
    },
}


def test_servers_and_base_path_follow_one_rule() -> None:
    model = _model(PETS)
    server = model.servers[0]
    # a variable with a default takes it; one with only an enum takes the first value
    assert server.resolved_url == "https://api.example.com/hr/v2/"
    assert model.base_path == "/hr/v2"
    assert model.declares_absolute_base and not model.addresses_provider_base
    assert {v.name for v in server.variables} == {"env", "base"}


@pytest.mark.parametrize(
    ("servers", "base", "addresses_provider_base"),
    [
        (None, "", True),
        ([{"url": "/"}], "", True),
        ([{"url": "/api/v1/"}], "/api/v1", False),
        ([{"url": "https://x.example.com"}], "", False),
        ([{"url": "//x.example.com/v3"}], "/v3", False),
        ([{"url": "https://x/{tenant}/v1", "variables": {"tenant": {}}}], "/{tenant}/v1", False),
    ],
)
def test_base_path_cases(servers: Any, base: str, addresses_provider_base: bool) -> None:
    model = _model({"paths": {}} | ({"servers": servers} if servers is not None else {}))
    assert model.base_path == base == base_path_of(servers)
    assert model.addresses_provider_base is addresses_provider_base


def test_operations_merge_path_item_parameters_with_the_operations_winning() -> None:
    get = _model(PETS).operation("get", "/pets/{petId}")
    assert get is not None
    assert get.key == "GET /pets/{petId}" and get.operation_id == "getPet"
    assert get.route == "/pets/{}"  # the base path is deployment, not part of the route
    names = {(p.location, p.name): p for p in get.parameters}
    # header names are case-insensitive: the operation's x-trace replaces the item's X-Trace
    assert set(names) == {("path", "petId"), ("header", "x-trace"), ("query", "fields")}
    assert names[("header", "x-trace")].required
    fields = names[("query", "fields")]
    assert (fields.style, fields.explode, fields.kind) == ("form", False, "array")
    path_param = names[("path", "petId")]
    assert (path_param.style, path_param.explode, path_param.required) == ("simple", False, True)
    assert get.parameter("header", "X-TRACE") is names[("header", "x-trace")]
    # what was written stays readable (its example, extensions), but does not tell records apart
    assert fields.raw == {
        "name": "fields",
        "in": "query",
        "schema": {"type": "array"},
        "explode": False,
    }
    assert "raw" not in repr(fields)


def test_responses_keep_ranges_default_headers_and_links() -> None:
    get = _model(PETS).operation("GET", "/pets/{petId}")
    assert get is not None
    assert [r.key for r in get.responses] == ["200", "4XX", "DEFAULT"]
    ok = get.response("200")
    assert ok is not None and ok.pointer == "/components/responses/Pet"
    assert [(h.name, h.required) for h in ok.headers] == [("ETag", True)]
    assert ok.content[0].schema == {"type": "object", "properties": {"id": {"type": "integer"}}}
    assert (
        ok.content[0].schema_pointer == "/components/responses/Pet/content/application~1json/schema"
    )
    assert [(link.name, link.operation_id, link.parameters) for _, link in get.links] == [
        ("self", "getPet", (("petId", "$response.body#/id"),))
    ]
    assert get.response_for(404) is get.response("4xx")
    assert get.response_for(503) is get.response("default")
    assert get.response_for(200) is ok


def test_responses_media_types_and_headers_keep_the_objects_as_written() -> None:
    model = _model(
        {
            "paths": {
                "/a": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "x-note": "kept",
                                "headers": {
                                    "X-Rate": {"schema": {}, "example": 5},
                                    "X-Trace": {
                                        "content": {"Text/Plain": {"schema": {"type": "string"}}}
                                    },
                                },
                                "content": {
                                    "application/json": {
                                        "schema": {},
                                        "example": {"a": 1},
                                        "examples": {"one": {"value": {"a": 2}}},
                                    }
                                },
                            }
                        }
                    }
                }
            }
        }
    )
    ok = model.operations[0].response("200")
    assert ok is not None and ok.raw["x-note"] == "kept"
    [media] = ok.content
    assert media.raw["example"] == {"a": 1} and media.raw["examples"]["one"]["value"] == {"a": 2}
    header, traced = ok.headers
    assert header.raw["example"] == 5 and header.content_media_type is None
    assert traced.content_media_type == "text/plain" and traced.schema == {"type": "string"}
    # what was written is for reading, not for telling records apart
    assert "raw" not in repr(header)


def test_a_header_with_content_but_no_schema_points_at_no_schema() -> None:
    model = _model(
        {
            "paths": {
                "/a": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "headers": {"X-Trace": {"content": {"text/plain": {}}}},
                            }
                        }
                    }
                }
            }
        }
    )
    ok = model.operations[0].response("200")
    assert ok is not None
    [header] = ok.headers
    assert header.content_media_type == "text/plain"
    assert header.schema_pointer is None and header.schema is None


def test_effective_security_is_the_operations_else_the_documents() -> None:
    model = _model(PETS)
    get = model.operation("GET", "/pets/{petId}")
    patch = model.operation("PATCH", "/pets/{petId}")
    assert get is not None and patch is not None
    assert get.security.declared_on == "document" and get.security.pointer == "/security"
    assert get.security.as_dicts() == [{"oauth": ["read"]}]
    assert not get.security.anonymous_allowed
    assert patch.security.declared_on == "operation"
    assert patch.security.anonymous_allowed
    assert patch.security.as_dicts() == [{}, {"key": []}]
    oauth, key = model.scheme("oauth"), model.scheme("key")
    assert oauth is not None and oauth.flows == ("clientCredentials",)
    assert key is not None and key.signature == ("apikey", "header", "x-api-key")


def test_request_bodies_callbacks_and_webhooks() -> None:
    model = _model(PETS)
    patch = model.operation("PATCH", "/pets/{petId}")
    assert patch is not None and patch.request_body is not None
    assert patch.request_body.required
    media = patch.request_body.media("application/merge-patch+json; charset=utf-8")
    assert media is not None and media.schema["type"] == "object"
    shouting = _model(
        {"paths": {"/a": {"post": {"requestBody": {"content": {"Application/JSON": {}}}}}}}
    ).operation("POST", "/a")
    assert shouting is not None and shouting.request_body is not None
    [written] = shouting.request_body.content
    assert (written.media_type, written.as_written) == ("application/json", "Application/JSON")
    [callback] = patch.callbacks
    assert (callback.name, callback.expression) == ("changed", "{$request.body#/hook}")
    assert [op.key for op in callback.operations] == ["POST {$request.body#/hook}"]
    assert callback.operations[0].route == ""  # not addressed under the contract's servers
    [webhook] = model.webhooks
    assert webhook.name == "petBorn"
    assert [r.key for r in webhook.operations[0].responses] == ["202"]


def test_every_element_knows_its_file_and_line() -> None:
    contract = load_contract(CATALOGUE / "clusters" / "unity" / "2.4.0.yaml")
    model = contract_model(contract)
    assert contract_model(contract) is model  # built once, cached on the contract
    lines = (CATALOGUE / "clusters" / "unity" / "2.4.0.yaml").read_text().splitlines()
    for operation in model.operations:
        assert operation.line is not None
        assert lines[operation.line - 1].strip().startswith(operation.method.lower() + ":")
        for parameter in operation.parameters:
            assert parameter.source.file.endswith(".yaml") and parameter.line is not None
        for response in operation.responses:
            assert response.line is not None


def test_routes_match_whatever_the_parameter_names() -> None:
    model = _model(
        {
            "paths": {
                "/a/{id}": {"get": {"responses": {}}},
                "/a/{number}/b": {"get": {"responses": {}}},
            }
        }
    )
    op = model.match("GET", "/a/{x}")
    assert op is not None and op.path == "/a/{id}"
    assert model.match("GET", "/a/{x}/b") is not None
    assert model.match("POST", "/a/{x}") is None
    assert template_key("/a/{id}/") == "/a/{}"


def test_malformed_parts_are_skipped_not_raised() -> None:
    model = _model(
        {
            "paths": {
                "/x": {
                    "get": {"parameters": [{"name": "q"}, "junk"], "responses": {"200": "junk"}},
                    "post": "junk",
                },
                "/y": "junk",
            }
        }
    )
    [op] = model.operations
    assert op.parameters == () and op.responses == ()


def test_media_types_match_lower_cased_and_keep_their_spelling() -> None:
    model = _model(
        {
            "paths": {
                "/x": {
                    "post": {
                        "requestBody": {"content": {"Application/JSON": {"schema": {}}}},
                        "responses": {},
                    }
                }
            }
        }
    )
    [op] = model.operations
    assert op.request_body is not None
    [media] = op.request_body.content
    assert (media.media_type, media.as_written) == ("application/json", "Application/JSON")
    assert media.pointer == "/paths/~1x/post/requestBody/content/Application~1JSON"


def test_a_copy_with_another_document_gets_its_own_model() -> None:
    contract = load_document(
        {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {}}}, "/b": {"get": {"responses": {}}}},
        }
    )
    assert len(contract_model(contract).operations) == 2
    document = {**contract.document, "paths": {"/a": contract.document["paths"]["/a"]}}
    copy = dataclasses.replace(contract, document=document)
    assert [op.path for op in contract_model(copy).operations] == ["/a"]
    assert len(contract_model(contract).operations) == 2


def _real_specs() -> list[Path]:
    manifest = CORPORA / "real-specs" / "manifest.json"
    if not manifest.is_file():
        return []
    specs = json.loads(manifest.read_text())["specs"]
    return [CORPORA / "real-specs" / spec["file"] for spec in specs]


@pytest.mark.parametrize("path", _real_specs(), ids=lambda p: p.name)
def test_the_model_reads_every_operation_of_the_real_specs(path: Path) -> None:
    try:
        contract = load_contract(path)
    except ContractError:
        pytest.skip("does not load (the loader's own tests cover why)")
    model = contract_model(contract)
    raw = list(contract.operations())
    assert [op.key for op in model.operations] == [f"{m} {p}" for m, p, _, _ in raw]
    for operation in model.operations:
        json.dumps([p.name for p in operation.parameters])
        assert all(r.pointer.startswith("/") for r in operation.responses)
