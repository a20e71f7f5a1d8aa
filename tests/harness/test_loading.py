"""The loader: bundling relative $refs at every depth, locations, cycles, remote refs."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import yaml

from interop.harness.errors import ContractError, InvalidContract, UnresolvableRef
from interop.harness.loading import BUNDLE_KEY, load_contract, load_document, resolve_pointer
from interop.harness.parsing import Limits


def _write(root: Path, files: dict[str, Any]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(textwrap.dedent(text) if isinstance(content, str) else text)


def _doc(paths: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths or {},
        **extra,
    }


def test_relative_refs_resolve_against_the_referencing_file_at_every_depth(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path,
        {
            "api/openapi.yaml": _doc(
                {"/w": {"$ref": "paths/workers.yaml"}},
                components={"schemas": {"Id": {"type": "string", "format": "uuid"}}},
            ),
            "api/paths/workers.yaml": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "../schemas/worker.yaml#/Worker"}
                                }
                            },
                        }
                    }
                }
            },
            "api/schemas/worker.yaml": {
                "Worker": {
                    "type": "object",
                    "properties": {
                        "id": {"$ref": "../openapi.yaml#/components/schemas/Id"},
                        "unit": {"$ref": "deeper/unit.yaml"},
                    },
                }
            },
            "api/schemas/deeper/unit.yaml": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#"}},
                },
            },
        },
    )
    contract = load_contract(tmp_path / "api/openapi.yaml", display="api/openapi.yaml")
    assert contract.files == (
        "api/openapi.yaml",
        "api/paths/workers.yaml",
        "api/schemas/deeper/unit.yaml",
        "api/schemas/worker.yaml",
    )
    [(method, path, operation, _)] = list(contract.operations())
    assert (method, path) == ("GET", "/w")
    schema_ref = operation["responses"]["200"]["content"]["application/json"]["schema"]
    worker, worker_pointer = contract.resolve(schema_ref)
    assert worker_pointer.startswith(f"/{BUNDLE_KEY}/")
    id_schema, id_pointer = contract.resolve(worker["properties"]["id"])
    assert id_pointer == "/components/schemas/Id" and id_schema["format"] == "uuid"
    unit, unit_pointer = contract.resolve(worker["properties"]["unit"])
    # The recursive child stays a reference to the unit itself: nothing is expanded.
    assert unit["properties"]["children"]["items"] == {"$ref": "#" + unit_pointer}
    location = contract.location(unit_pointer + "/properties/name")
    assert location.file == "api/schemas/deeper/unit.yaml"
    assert location.pointer == "/properties/name"
    assert location.line == 3


def test_recursive_schema_through_properties_loads(tmp_path: Path) -> None:
    unit = {
        "type": "object",
        "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Unit"}}
        },
    }
    contract = load_document(_doc(components={"schemas": {"Unit": unit}}))
    resolved, pointer = contract.resolve({"$ref": "#/components/schemas/Unit"})
    assert pointer == "/components/schemas/Unit" and resolved == unit


def test_cyclic_ref_chain_is_a_clean_error(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "c.yaml": """\
                openapi: 3.0.3
                info: {title: t, version: '1'}
                paths: {}
                components:
                  schemas:
                    A:
                      $ref: '#/components/schemas/B'
                    B:
                      $ref: '#/components/schemas/A'
                """
        },
    )
    with pytest.raises(UnresolvableRef) as info:
        load_contract(tmp_path / "c.yaml", display="c.yaml")
    assert "cyclic $ref chain" in info.value.problem
    assert info.value.line in (6, 8)  # the 'A:' or 'B:' line
    assert str(info.value).startswith("c.yaml:")


@pytest.mark.parametrize(
    ("ref", "problem"),
    [
        ("missing.yaml", "file not found"),
        ("#/components/schemas/Wrker", "did you mean 'Worker'?"),
        ("#components/schemas/Worker", "did you mean '#/components/schemas/Worker'?"),
        ("http://example.com/s.yaml", "--allow-remote"),
        ("https://example.com/s.yaml#/X", "--allow-remote"),
        ("python://tests/specs/petstore.yaml", "unsupported scheme 'python'"),
        (".", "is a directory"),
    ],
)
def test_unresolvable_refs_name_the_referencing_line(
    tmp_path: Path, ref: str, problem: str
) -> None:
    _write(
        tmp_path,
        {
            "c.yaml": f"""\
                openapi: 3.0.3
                info: {{title: t, version: '1'}}
                paths: {{}}
                components:
                  schemas:
                    Worker: {{type: object}}
                    Other:
                      $ref: '{ref}'
                """
        },
    )
    with pytest.raises(UnresolvableRef) as info:
        load_contract(tmp_path / "c.yaml", display="c.yaml")
    assert problem in info.value.problem
    assert info.value.file == "c.yaml"
    assert info.value.line == 7
    assert info.value.pointer == "/components/schemas/Other"
    assert "\n" not in str(info.value)


def test_syntax_error_in_referenced_file_names_both(tmp_path: Path) -> None:
    _write(tmp_path, {"c.yaml": _doc({"/a": {"$ref": "a.yaml"}}), "a.yaml": "get: [1,\n"})
    with pytest.raises(ContractError) as info:
        load_contract(tmp_path / "c.yaml", display="c.yaml")
    assert info.value.file == "a.yaml"
    assert "referenced from c.yaml:" in info.value.problem


@respx.mock
def test_remote_refs_are_fetched_only_when_allowed(tmp_path: Path) -> None:
    route = respx.get("https://schemas.example.com/worker.yaml").mock(
        return_value=httpx.Response(200, text="type: object\nproperties: {id: {type: string}}\n")
    )
    _write(
        tmp_path,
        {
            "c.yaml": _doc(
                components={"schemas": {"W": {"$ref": "https://schemas.example.com/worker.yaml"}}}
            )
        },
    )
    with pytest.raises(UnresolvableRef):
        load_contract(tmp_path / "c.yaml")
    assert not route.called
    contract = load_contract(tmp_path / "c.yaml", allow_remote=True)
    assert route.called
    schema, _ = contract.resolve(contract.document["components"]["schemas"]["W"])
    assert schema["properties"] == {"id": {"type": "string"}}


def test_refs_inside_literal_data_are_not_followed() -> None:
    doc = _doc(
        components={
            "schemas": {
                "S": {
                    "type": "object",
                    "enum": [{"$ref": "#/nowhere"}],
                    "default": {"$ref": "missing.yaml"},
                    "example": {"$ref": "#/also/nowhere"},
                    "x-vendor": {"$ref": "http://example.com/never"},
                    "properties": {
                        # A property *named* like a keyword is still a schema.
                        "default": {"$ref": "#/components/schemas/T"},
                        "enum": {"type": "string"},
                    },
                },
                "T": {"type": "string"},
            }
        }
    )
    contract = load_document(doc)
    schema = contract.document["components"]["schemas"]["S"]
    assert schema["enum"] == [{"$ref": "#/nowhere"}]
    assert contract.resolve(schema["properties"]["default"])[1] == "/components/schemas/T"


def test_responses_named_default_are_followed() -> None:
    doc = _doc(
        {"/a": {"get": {"responses": {"default": {"$ref": "#/components/responses/Err"}}}}},
        components={"responses": {"Err": {"description": "error"}}},
    )
    with pytest.raises(UnresolvableRef):
        load_document({**doc, "components": {"responses": {}}})
    assert load_document(doc).version == "1"


def test_example_value_refs_are_inlined_or_dropped_with_a_warning(tmp_path: Path) -> None:
    media = {
        "schema": {"type": "object"},
        "examples": {
            "good": {"value": {"$ref": "examples/good.json"}},
            "bad": {"value": {"$ref": "examples/template.json"}},
            "gone": {"value": {"$ref": "examples/missing.json"}},
        },
    }
    _write(
        tmp_path,
        {
            "c.yaml": _doc(
                {
                    "/a": {
                        "get": {
                            "responses": {
                                "200": {"description": "ok", "content": {"application/json": media}}
                            }
                        }
                    }
                }
            ),
            "examples/good.json": '{"id": 1}',
            "examples/template.json": '{\n  {{#if x}}"id": 1{{/if}}\n}',
        },
    )
    contract = load_contract(tmp_path / "c.yaml", display="c.yaml")
    examples = contract.document["paths"]["/a"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["examples"]
    assert examples["good"]["value"] == {"id": 1}
    assert "value" not in examples["bad"] and "value" not in examples["gone"]
    messages = sorted(message for _, message in contract.warnings)
    assert len(messages) == 2
    assert all("example ignored" in m for m in messages)


def test_operation_refs_are_inlined_with_a_warning(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "c.yaml": _doc({"/a/{id}": {"$ref": "item.yaml"}}),
            "item.yaml": {
                "get": {"$ref": "get.yaml", "security": [{"k": []}]},
            },
            "get.yaml": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "ok"}},
            },
        },
    )
    contract = load_contract(tmp_path / "c.yaml", display="c.yaml")
    [(_, _, operation, _)] = list(contract.operations())
    assert operation["security"] == [{"k": []}]
    assert operation["parameters"][0]["name"] == "id"
    assert any("operation is a $ref" in message for _, message in contract.warnings)


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        ({"openapi": 3.0, "info": {}}, "must be a string"),
        ({"openapi": "4.0.0", "info": {}}, "unsupported OpenAPI version"),
        ({"swagger": 2.0, "info": {}}, 'must be the string "2.0"'),
        ({"info": {}}, "no 'openapi' or 'swagger' key"),
    ],
)
def test_version_problems_are_invalid_contract(document: dict[str, Any], problem: str) -> None:
    with pytest.raises(InvalidContract, match=problem):
        load_document(document)


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    with pytest.raises(InvalidContract, match="must be a mapping"):
        load_contract(tmp_path / "list.yaml")


def test_openapi_32_reads_as_31() -> None:
    contract = load_document({"openapi": "3.2.0", "info": {"title": "t", "version": "1"}})
    assert contract.source_format == "3.2"
    assert contract.openapi_version == "3.1"


def test_swagger2_is_converted_and_located(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "s.yaml": """\
                swagger: '2.0'
                info: {title: t, version: '1'}
                paths:
                  /w:
                    get:
                      responses:
                        '200':
                          description: ok
                          schema:
                            $ref: '#/definitions/W'
                definitions:
                  W:
                    type: object
                """
        },
    )
    contract = load_contract(tmp_path / "s.yaml", display="s.yaml")
    assert contract.source_format == "2.0" and contract.openapi_version == "3.0"
    assert contract.document["openapi"].startswith("3.0")
    location = contract.location("/components/schemas/W")
    assert (location.file, location.line) == ("s.yaml", 12)
    assert contract.source_document["swagger"] == "2.0"


def test_sha256_covers_every_file(tmp_path: Path) -> None:
    _write(tmp_path, {"c.yaml": _doc({"/a": {"$ref": "a.yaml"}}), "a.yaml": {"get": {}}})
    first = load_contract(tmp_path / "c.yaml").sha256
    (tmp_path / "a.yaml").write_text("get: {summary: changed}\n")
    assert load_contract(tmp_path / "c.yaml").sha256 != first


def test_file_count_limit(tmp_path: Path) -> None:
    files: dict[str, Any] = {"c.yaml": _doc({f"/p{i}": {"$ref": f"p{i}.yaml"} for i in range(5)})}
    files.update({f"p{i}.yaml": {"get": {}} for i in range(5)})
    _write(tmp_path, files)
    with pytest.raises(UnresolvableRef, match="more than 3 files"):
        load_contract(tmp_path / "c.yaml", limits=Limits(max_files=3))


def test_resolve_pointer_escapes() -> None:
    assert resolve_pointer({"a/b": {"~c": [0, 1]}}, "/a~1b/~0c/1") == 1
    with pytest.raises(KeyError):
        resolve_pointer({"a": [1]}, "/a/5")


def test_cycle_across_files_is_reported_as_written(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "a.yaml": _doc(
                components={
                    "schemas": {
                        "X": {"$ref": "b.yaml#/Y"},
                        "Self": {"$ref": "./a.yaml#/components/schemas/Z"},
                        "Z": {"type": "string"},
                    }
                }
            ),
            "b.yaml": {"Y": {"$ref": "a.yaml#/components/schemas/X"}},
        },
    )
    with pytest.raises(UnresolvableRef) as info:
        load_contract(tmp_path / "a.yaml", display="a.yaml")
    assert "b.yaml#/Y -> #/components/schemas/X -> b.yaml#/Y" in info.value.problem
    del_x = yaml.safe_load((tmp_path / "a.yaml").read_text())
    del del_x["components"]["schemas"]["X"]
    _write(tmp_path, {"a.yaml": del_x})
    contract = load_contract(tmp_path / "a.yaml", display="a.yaml")
    self_ref = contract.document["components"]["schemas"]["Self"]
    assert self_ref == {"$ref": "#/components/schemas/Z"}  # a file naming itself is local
