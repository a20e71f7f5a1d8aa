"""Structural and semantic validation: each rule fails on a bad contract and passes a good one,
and nothing a document contains makes the validator raise."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interop.harness.errors import ContractError
from interop.harness.loading import load_document
from interop.harness.results import Severity
from interop.harness.rules import RULES
from interop.harness.validation import validate_contract


def _good() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Workers", "version": "1.0.0"},
        "servers": [
            {"url": "https://{env}.example.gov.uk/v1", "variables": {"env": {"default": "x"}}}
        ],
        "security": [{"oauth": ["read"]}],
        "paths": {
            "/workers/{workerId}": {
                "parameters": [
                    {
                        "name": "workerId",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[0-9]{6}$"},
                        "example": "123456",
                    }
                ],
                "get": {
                    "operationId": "getWorker",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Worker"},
                                    "examples": {"one": {"value": {"id": "123456", "age": 40}}},
                                }
                            },
                        },
                        "4XX": {"description": "client error"},
                    },
                },
            },
            "/workers": {
                "post": {
                    "operationId": "createWorker",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Worker"},
                                "example": {"id": "654321"},
                            }
                        }
                    },
                    "responses": {"201": {"description": "created"}},
                }
            },
        },
        "components": {
            "securitySchemes": {
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "https://t.example",
                            "scopes": {"read": "r"},
                        }
                    },
                }
            },
            "schemas": {
                "Worker": {
                    "type": "object",
                    "required": ["id"],
                    "additionalProperties": False,
                    "properties": {
                        "id": {"type": "string", "example": "000001"},
                        "age": {"type": "integer", "minimum": 16, "default": 30},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "unit": {"$ref": "#/components/schemas/Unit"},
                    },
                },
                "Unit": {
                    "type": "object",
                    "properties": {
                        "children": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Unit"},
                        }
                    },
                },
            },
        },
    }


def _rules(document: dict[str, Any]) -> list[str]:
    return [f.rule for f in validate_contract(load_document(document))]


def test_the_good_contract_is_clean() -> None:
    assert validate_contract(load_document(_good())) == []


_DELETE = object()
SCHEMA = ("components", "schemas", "Worker")


@pytest.mark.parametrize(
    ("tokens", "value", "rule_id"),
    [
        (("info", "version"), "", "lint.info-empty"),
        (("info", "title"), 5, "lint.openapi-structure"),
        (("servers", 0, "url"), "https://{env.example.gov.uk", "lint.server-url-invalid"),
        (("servers", 0, "variables"), _DELETE, "lint.server-url-invalid"),
        (("paths", "/workers", "post", "operationId"), "getWorker", "lint.operation-id-duplicate"),
        (("security", 0), {"basic": []}, "lint.security-scheme-undeclared"),
        ((*SCHEMA, "properties", "id", "pattern"), "^[a-z", "lint.pattern-invalid"),
        ((*SCHEMA, "required"), ["id", "name"], "lint.required-undeclared"),
        ((*SCHEMA, "properties", "tags", "items"), _DELETE, "lint.array-items-missing"),
        ((*SCHEMA, "properties", "id", "example"), 1, "lint.example-invalid"),
        ((*SCHEMA, "properties", "age", "default"), "thirty", "lint.default-invalid"),
        (
            (
                "paths",
                "/workers/{workerId}",
                "get",
                "responses",
                "200",
                "content",
                "application/json",
                "examples",
                "one",
                "value",
                "age",
            ),
            3,
            "lint.example-invalid",
        ),
        (
            ("paths", "/workers/{workerId}", "parameters", 0, "example"),
            "12",
            "lint.example-invalid",
        ),
        (
            ("paths", "/workers/{workerId}", "parameters", 0, "name"),
            "id",
            "lint.path-parameter-undeclared",
        ),
    ],
)
def test_each_rule_fires(tokens: tuple[Any, ...], value: Any, rule_id: str) -> None:
    document = copy.deepcopy(_good())
    target: Any = document
    for token in tokens[:-1]:
        target = target[token]
    if value is _DELETE:
        del target[tokens[-1]]
    else:
        target[tokens[-1]] = value
    findings = validate_contract(load_document(document))
    assert rule_id in [f.rule for f in findings]
    assert all(f.severity is RULES[f.rule].severity for f in findings)


def test_unresolvable_refs_fail_at_load() -> None:
    document = copy.deepcopy(_good())
    unit = document["components"]["schemas"]["Unit"]
    unit["properties"]["children"]["items"]["$ref"] = "#/components/schemas/Nope"
    with pytest.raises(ContractError, match="not found"):
        load_document(document)


def test_required_unknown_is_a_warning_when_open() -> None:
    document = copy.deepcopy(_good())
    worker = document["components"]["schemas"]["Worker"]
    worker["required"] = ["id", "name"]
    del worker["additionalProperties"]
    findings = validate_contract(load_document(document))
    [finding] = [f for f in findings if f.rule == "lint.required-unknown"]
    assert finding.severity is Severity.WARNING


def test_required_in_composition_is_not_flagged() -> None:
    document = copy.deepcopy(_good())
    document["components"]["schemas"]["Both"] = {
        "allOf": [
            {"$ref": "#/components/schemas/Worker"},
            {"type": "object", "required": ["id"], "properties": {"extra": {"type": "string"}}},
        ]
    }
    assert "lint.required-unknown" not in _rules(document)


def test_path_template_rules() -> None:
    document = copy.deepcopy(_good())
    item = document["paths"].pop("/workers/{workerId}")
    document["paths"]["/workers/{id}/{id}"] = copy.deepcopy(item)
    document["paths"]["/workers/{workerId}"] = item
    document["paths"]["/workers/{other}"] = {"get": {"operationId": "x", "responses": {}}}
    document["paths"]["/broken/{x"] = {}
    rules = _rules(document)
    assert "lint.path-template-invalid" in rules  # {id} twice, and an unbalanced brace
    assert "lint.path-duplicate" in rules  # /workers/{other} is /workers/{workerId}
    assert "lint.path-parameter-undeclared" in rules  # {other} and {id} undeclared
    assert "lint.path-parameter-unknown" in rules  # workerId is not in /workers/{id}/{id}


def test_duplicate_parameter_and_bad_status() -> None:
    document = copy.deepcopy(_good())
    operation = document["paths"]["/workers"]["post"]
    operation["parameters"] = [
        {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
        {"name": "x-trace", "in": "header", "schema": {"type": "string"}},
    ]
    operation["responses"]["888"] = {"description": "odd"}
    rules = _rules(document)
    assert "lint.parameter-duplicate" in rules
    assert "lint.response-status-invalid" in rules


def test_openapi_31_examples_and_nullability() -> None:
    document = copy.deepcopy(_good())
    document["openapi"] = "3.1.0"
    worker = document["components"]["schemas"]["Worker"]
    worker["properties"]["id"] = {"type": ["string", "null"], "examples": ["a", None]}
    assert _rules(document) == []
    worker["properties"]["id"]["examples"].append(3)
    assert _rules(document) == ["lint.example-invalid"]


def test_swagger2_structure_is_checked_on_the_source() -> None:
    document: dict[str, Any] = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/u": {
                "post": {
                    "parameters": [
                        {"name": "b", "in": "body", "schema": {"type": "object"}},
                        {"name": "f", "in": "formData", "type": "string"},
                    ],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    findings = validate_contract(load_document(document))
    assert [f.rule for f in findings] == ["lint.parameter-invalid"]
    document["paths"]["/u"]["post"]["parameters"][0]["in"] = "nowhere"
    findings = validate_contract(load_document(document))
    assert "lint.openapi-structure" in [f.rule for f in findings]


def test_findings_carry_registered_rules_and_lines(tmp_path: Any) -> None:
    from interop.harness.loading import load_contract

    path = tmp_path / "c.yaml"
    path.write_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  schemas:\n"
        "    A:\n"
        "      type: string\n"
        "      example: 5\n"
    )
    [finding] = validate_contract(load_contract(path, display="c.yaml"))
    assert finding.rule in RULES
    assert finding.provider_location is not None
    assert str(finding.provider_location) == "c.yaml:8 /components/schemas/A/example"


_any_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.sampled_from(
        ["", "x", "{", "string", "object", "array", "#/components/schemas/A", "^(", "3.0.3"]
    ),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "properties",
                    "items",
                    "required",
                    "example",
                    "default",
                    "pattern",
                    "$ref",
                    "allOf",
                    "get",
                    "parameters",
                    "responses",
                    "name",
                    "in",
                    "schema",
                    "content",
                    "application/json",
                    "examples",
                    "value",
                    "A",
                    "/p/{x}",
                    "additionalProperties",
                    "enum",
                    "nullable",
                ]
            ),
            children,
            max_size=4,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=200)
@given(paths=_any_json, schemas=_any_json, version=st.sampled_from(["3.0.3", "3.1.0"]))
def test_validator_never_raises(paths: Any, schemas: Any, version: str) -> None:
    """Whatever a document holds, validation returns findings: it never crashes."""
    document = {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }
    try:
        contract = load_document(document)
    except ContractError:
        return
    for finding in validate_contract(contract):
        assert finding.rule in RULES
        assert finding.severity in (Severity.ERROR, Severity.WARNING)
