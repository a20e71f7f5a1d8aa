"""``diff``: each semantic promise of issue 5, on a small contract edited one way at a time."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from interop.harness.diff import DiffResult, diff, diff_files
from interop.harness.errors import ContractError
from interop.harness.loading import load_contract


def _base() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Workers", "version": "1.0.0"},
        "paths": {
            "/workers": {
                "get": {
                    "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Worker"},
                                    }
                                }
                            },
                        }
                    },
                },
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/NewWorker"}
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "created",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Worker"}
                                }
                            },
                        }
                    },
                },
            },
            "/workers/{id}": {
                "get": {
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Worker"}
                                }
                            },
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Worker": {
                    "type": "object",
                    "required": ["id", "status"],
                    "properties": {
                        "id": {"type": "string", "description": "The worker id."},
                        "status": {"type": "string", "enum": ["ACTIVE", "LEFT"]},
                        "grade": {"type": "string"},
                    },
                },
                "NewWorker": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string", "maxLength": 80},
                        "grade": {"type": "string", "enum": ["G6", "G7", "SEO"]},
                        "email": {"type": "string"},
                    },
                },
            },
            "securitySchemes": {
                "oauth": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "https://auth.example/token",
                            "scopes": {"workers.read": "", "workers.write": ""},
                        }
                    },
                }
            },
        },
        "security": [{"oauth": ["workers.read"]}],
    }


def _write(path: Path, document: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def _diff(tmp_path: Path, edit: Callable[[dict[str, Any]], None]) -> DiffResult:
    old = _base()
    new = copy.deepcopy(old)
    edit(new)
    return diff_files(_write(tmp_path / "old.yaml", old), _write(tmp_path / "new.yaml", new))


def _schemas(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["components"]["schemas"]  # type: ignore[no-any-return]


# -- not breaking --------------------------------------------------------------------------
def _descriptions(doc: dict[str, Any]) -> None:
    _schemas(doc)["Worker"]["properties"]["id"]["description"] = "Another text."
    _schemas(doc)["Worker"]["properties"]["id"]["example"] = "W-1"
    doc["paths"]["/workers"]["get"]["summary"] = "List workers"


def _reorder(doc: dict[str, Any]) -> None:
    worker = _schemas(doc)["Worker"]
    _schemas(doc)["Worker"] = dict(reversed(list(worker.items())))
    doc["paths"] = dict(reversed(list(doc["paths"].items())))


def _ref_refactor(doc: dict[str, Any]) -> None:
    # The status enum moves into its own component; the inline schema becomes a $ref.
    _schemas(doc)["Status"] = _schemas(doc)["Worker"]["properties"]["status"]
    _schemas(doc)["Worker"]["properties"]["status"] = {"$ref": "#/components/schemas/Status"}
    schema = doc["paths"]["/workers/{id}"]["get"]["responses"]["200"]["content"]
    schema["application/json"]["schema"] = copy.deepcopy(_schemas(doc)["Worker"])


def _rename_path_parameter(doc: dict[str, Any]) -> None:
    item = doc["paths"].pop("/workers/{id}")
    item["get"]["parameters"][0]["name"] = "workerId"
    doc["paths"]["/workers/{workerId}"] = item


def _relax(doc: dict[str, Any]) -> None:
    _schemas(doc)["NewWorker"]["properties"]["name"]["maxLength"] = 200
    _schemas(doc)["NewWorker"]["properties"]["grade"]["enum"].append("HEO")


def _add_operation(doc: dict[str, Any]) -> None:
    doc["paths"]["/grades"] = {"get": {"responses": {"200": {"description": "ok"}}}}


def _add_optional(doc: dict[str, Any]) -> None:
    _schemas(doc)["NewWorker"]["properties"]["phone"] = {"type": "string"}
    _schemas(doc)["Worker"]["properties"]["phone"] = {"type": "string"}
    doc["paths"]["/workers"]["get"]["parameters"].append(
        {"name": "grade", "in": "query", "schema": {"type": "string"}}
    )


def _move_servers(doc: dict[str, Any]) -> None:
    doc["servers"] = [
        {"url": "https://erp.example.com/hr/v3"},
        {"url": "https://{region}.erp.example/api", "variables": {"region": {"default": "eu"}}},
    ]


@pytest.mark.parametrize(
    ("edit", "no_changes"),
    [
        (_move_servers, True),
        (_descriptions, True),
        (_reorder, True),
        (_ref_refactor, True),
        (_rename_path_parameter, True),
        (_relax, False),
        (_add_operation, False),
        (_add_optional, False),
    ],
)
def test_not_breaking(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], no_changes: bool
) -> None:
    result = _diff(tmp_path, edit)
    assert result.breaking == ()
    assert result.exit_code == 0
    if no_changes:
        assert result.changes == ()
    else:
        assert result.changes


def test_a_prefix_moved_from_the_paths_into_the_server_url_is_the_same_address(
    tmp_path: Path,
) -> None:
    old = _base()
    old["servers"] = [{"url": "https://erp.example.com/"}]
    old["paths"] = {f"/hr{path}": item for path, item in old["paths"].items()}
    new = _base()
    new["servers"] = [{"url": "https://erp.example.com/hr"}]
    result = diff_files(_write(tmp_path / "old.yaml", old), _write(tmp_path / "new.yaml", new))
    assert result.breaking == ()
    assert not [c for c in result.changes if c.rule.startswith("operation.")]


def test_nullable_30_equals_type_null_31(tmp_path: Path) -> None:
    old = _base()
    _schemas(old)["Worker"]["properties"]["grade"]["nullable"] = True
    new = copy.deepcopy(_base())
    new["openapi"] = "3.1.0"
    _schemas(new)["Worker"]["properties"]["grade"]["type"] = ["string", "null"]
    result = diff_files(_write(tmp_path / "a.yaml", old), _write(tmp_path / "b.yaml", new))
    assert result.breaking == ()


# -- breaking ------------------------------------------------------------------------------
def _enum_widened(doc: dict[str, Any]) -> None:
    _schemas(doc)["Worker"]["properties"]["status"]["enum"].append("SUSPENDED")


def _new_2xx(doc: dict[str, Any]) -> None:
    doc["paths"]["/workers"]["post"]["responses"]["202"] = {"description": "queued"}


def _response_optional(doc: dict[str, Any]) -> None:
    _schemas(doc)["Worker"]["required"] = ["id"]


def _response_nullable(doc: dict[str, Any]) -> None:
    _schemas(doc)["Worker"]["properties"]["id"]["nullable"] = True


def _request_required(doc: dict[str, Any]) -> None:
    _schemas(doc)["NewWorker"]["required"] = ["name", "email"]


def _parameter_required(doc: dict[str, Any]) -> None:
    doc["paths"]["/workers"]["get"]["parameters"][0]["required"] = True


def _tightened(doc: dict[str, Any]) -> None:
    _schemas(doc)["NewWorker"]["properties"]["name"]["maxLength"] = 40


def _enum_narrowed(doc: dict[str, Any]) -> None:
    _schemas(doc)["NewWorker"]["properties"]["grade"]["enum"] = ["G6", "G7"]


def _scope_added(doc: dict[str, Any]) -> None:
    doc["security"] = [{"oauth": ["workers.read", "workers.write"]}]


def _scheme_changed(doc: dict[str, Any]) -> None:
    doc["components"]["securitySchemes"]["key"] = {"type": "apiKey", "in": "header", "name": "X"}
    doc["security"] = [{"key": []}]


def _token_url_changed(doc: dict[str, Any]) -> None:
    flow = doc["components"]["securitySchemes"]["oauth"]["flows"]["clientCredentials"]
    flow["tokenUrl"] = "https://elsewhere.example/token"


def _operation_removed(doc: dict[str, Any]) -> None:
    del doc["paths"]["/workers"]["post"]


def _media_type_dropped(doc: dict[str, Any]) -> None:
    body = doc["paths"]["/workers"]["post"]["requestBody"]["content"]
    body["application/xml"] = body.pop("application/json")


def _request_media_vendor(doc: dict[str, Any]) -> None:
    # Request media types are exact: a client sending `application/json` may now get 415.
    body = doc["paths"]["/workers"]["post"]["requestBody"]["content"]
    body["application/vnd.workers+json"] = body.pop("application/json")


def _response_media_removed(doc: dict[str, Any]) -> None:
    content = doc["paths"]["/workers"]["get"]["responses"]["200"]["content"]
    content["text/csv"] = content.pop("application/json")


def _parameter_removed(doc: dict[str, Any]) -> None:
    doc["paths"]["/workers"]["get"]["parameters"] = []


def _body_removed(doc: dict[str, Any]) -> None:
    del doc["paths"]["/workers"]["post"]["requestBody"]


def _property_removed(doc: dict[str, Any]) -> None:
    del _schemas(doc)["NewWorker"]["properties"]["email"]


@pytest.mark.parametrize(
    ("edit", "rule", "side"),
    [
        (_response_media_removed, "response.body.media-type", "response"),
        (_parameter_removed, "request.parameter.removed", "request"),
        (_body_removed, "request.body.removed", "request"),
        (_property_removed, "request.body.property-removed", "request"),
        (_enum_widened, "response.body.enum", "response"),
        (_new_2xx, "response.status.unhandled", "response"),
        (_response_optional, "response.body.required", "response"),
        (_response_nullable, "response.body.nullable", "response"),
        (_request_required, "request.body.required", "request"),
        (_parameter_required, "request.parameter.required", "request"),
        (_tightened, "request.body.max-length", "request"),
        (_enum_narrowed, "request.body.enum", "request"),
        (_scope_added, "security.scope", "request"),
        (_scheme_changed, "security.scheme", "request"),
        (_token_url_changed, "security.scheme", "request"),
        (_operation_removed, "operation.missing", "request"),
        (_media_type_dropped, "request.body.media-type", "request"),
        (_request_media_vendor, "request.body.media-type", "request"),
    ],
)
def test_breaking(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], rule: str, side: str
) -> None:
    result = _diff(tmp_path, edit)
    assert result.exit_code == 1
    rules = {c.rule for c in result.breaking}
    assert rule in rules, [c.message for c in result.changes]
    change = next(c for c in result.breaking if c.rule == rule and c.operation)
    assert change.side == side
    assert change.message and change.operation
    assert change.old_location is not None and change.new_location is not None


def test_shared_component_change_is_reported_per_operation_and_once(tmp_path: Path) -> None:
    result = _diff(tmp_path, _enum_widened)
    enum = [c for c in result.breaking if c.rule == "response.body.enum"]
    operations = sorted(c.operation for c in enum if c.operation is not None)
    assert operations == ["GET /workers", "GET /workers/{id}", "POST /workers"]
    component = [c for c in enum if c.operation is None]
    assert len(component) == 1
    assert component[0].component == "#/components/schemas/Worker"
    assert all(c.component == "#/components/schemas/Worker" for c in enum)


def test_locations_point_into_both_files(tmp_path: Path) -> None:
    result = _diff(tmp_path, _tightened)
    change = next(c for c in result.breaking if c.operation == "POST /workers")
    assert change.old_location is not None and change.new_location is not None
    assert change.old_location.file.endswith("old.yaml")
    assert change.new_location.file.endswith("new.yaml")
    assert change.new_location.pointer == "/components/schemas/NewWorker/properties/name"
    lines = (tmp_path / "new.yaml").read_text().splitlines()
    assert change.new_location.line is not None
    assert lines[change.new_location.line - 1].strip().startswith("name:")
    assert "80" in change.message and "40" in change.message


def test_swagger_2_against_openapi_3(tmp_path: Path) -> None:
    swagger = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/pets": {
                "get": {
                    "produces": ["application/json"],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "schema": {
                                "type": "object",
                                "required": ["id"],
                                "properties": {"id": {"type": "string"}},
                            },
                        }
                    },
                }
            }
        },
    }
    openapi = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "2"},
        "paths": {
            "/pets": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {"id": {"type": "string"}},
                                    }
                                }
                            },
                        }
                    }
                }
            }
        },
    }
    same = diff_files(_write(tmp_path / "s.yaml", swagger), _write(tmp_path / "s2.yaml", swagger))
    assert same.changes == ()
    result = diff_files(_write(tmp_path / "a.yaml", swagger), _write(tmp_path / "b.yaml", openapi))
    assert [c.rule for c in result.breaking] == ["response.body.required"]


def test_identical_contract_has_no_changes(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.yaml", _base())
    contract = load_contract(path)
    assert diff(contract, contract).changes == ()


@pytest.mark.parametrize("which", ["old", "new"])
def test_bad_input_names_the_file(tmp_path: Path, which: str) -> None:
    good = _write(tmp_path / "good.yaml", _base())
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {get: [}\n")
    args = (bad, good) if which == "old" else (good, bad)
    with pytest.raises(ContractError) as caught:
        diff_files(*args)
    assert "bad.yaml" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unresolvable_ref_names_the_file_and_pointer(tmp_path: Path) -> None:
    doc = _base()
    doc["paths"]["/workers"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Wrker"
    }
    bad = _write(tmp_path / "bad.yaml", doc)
    with pytest.raises(ContractError) as caught:
        diff_files(_write(tmp_path / "good.yaml", _base()), bad)
    text = str(caught.value)
    assert "bad.yaml" in text and "Wrker" in text


# -- re-judged against the labelled corpus (docs/diff-corpus.md) ----------------------------
def _pair(
    tmp_path: Path,
    edit_old: Callable[[dict[str, Any]], None],
    edit_new: Callable[[dict[str, Any]], None],
) -> DiffResult:
    old, new = _base(), _base()
    edit_old(old)
    edit_new(new)
    return diff_files(_write(tmp_path / "old.yaml", old), _write(tmp_path / "new.yaml", new))


def _limit_format(fmt: str | None) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        schema = doc["paths"]["/workers"]["get"]["parameters"][0]["schema"]
        if fmt is not None:
            schema["format"] = fmt

    return edit


def _age_format(fmt: str) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        _schemas(doc)["Worker"]["properties"]["age"] = {"type": "integer", "format": fmt}

    return edit


@pytest.mark.parametrize(
    ("old", "new", "rules"),
    [
        ("int64", "int32", {"request.parameter.maximum", "request.parameter.minimum"}),
        (None, "int32", {"request.parameter.maximum", "request.parameter.minimum"}),
        ("int32", "int64", set()),
        ("int32", None, set()),
        ("int64", "int64", set()),
    ],
)
def test_request_integer_format_is_a_range(
    tmp_path: Path, old: str | None, new: str | None, rules: set[str]
) -> None:
    result = _pair(tmp_path, _limit_format(old), _limit_format(new))
    assert {c.rule for c in result.breaking} == rules
    if rules:
        assert any("2147483647" in c.message for c in result.breaking)


def test_response_integer_format_widened_breaks_narrowed_does_not(tmp_path: Path) -> None:
    wider = _pair(tmp_path, _age_format("int32"), _age_format("int64"))
    assert {c.rule for c in wider.breaking} == {"response.body.maximum", "response.body.minimum"}
    narrower = _pair(tmp_path, _age_format("int64"), _age_format("int32"))
    assert narrower.breaking == ()
    assert narrower.changes  # reported as relaxed (narrowed) for the record


def test_float_and_double_stay_annotations(tmp_path: Path) -> None:
    def score(fmt: str) -> Callable[[dict[str, Any]], None]:
        def edit(doc: dict[str, Any]) -> None:
            _schemas(doc)["NewWorker"]["properties"]["score"] = {"type": "number", "format": fmt}

        return edit

    assert _pair(tmp_path, score("double"), score("float")).breaking == ()


def _media(types: list[str]) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        response = doc["paths"]["/workers"]["get"]["responses"]["200"]
        schema = response["content"]["application/json"]["schema"]
        response["content"] = {t: {"schema": copy.deepcopy(schema)} for t in types}

    return edit


def test_response_media_types_are_negotiated(tmp_path: Path) -> None:
    """Consumers ask for what they read (``Accept``): a new type breaks nobody, a type that is
    no longer offered breaks those that read only it."""
    added = _pair(tmp_path, _media(["application/json"]), _media(["application/json", "text/csv"]))
    assert added.breaking == ()
    assert {c.rule for c in added.changes} == {"response.body.media-type-added"}
    removed = _pair(
        tmp_path, _media(["application/json", "text/csv"]), _media(["application/json"])
    )
    assert [(c.rule, c.operation) for c in removed.breaking] == [
        ("response.body.media-type", "GET /workers")
    ]
    assert "text/csv" in removed.breaking[0].message
    # A structured-syntax type is JSON for interop, as in ``check``.
    problem = _pair(tmp_path, _media(["application/json"]), _media(["application/problem+json"]))
    assert problem.breaking == ()


def test_removed_inputs_break_but_new_optional_ones_do_not(tmp_path: Path) -> None:
    result = _diff(tmp_path, _property_removed)
    change = next(c for c in result.breaking if c.rule == "request.body.property-removed")
    assert "`email`" in change.message and change.side == "request"

    # Wrapping a request property in ``oneOf: [null, ...]`` removes nothing.
    def wrapped(doc: dict[str, Any]) -> None:
        body = doc["paths"]["/workers"]["post"]["requestBody"]["content"]["application/json"]
        body["schema"] = {"oneOf": [{"$ref": "#/components/schemas/NewWorker"}, {"enum": [None]}]}

    assert not any(c.rule.endswith("property-removed") for c in _diff(tmp_path, wrapped).changes)

    # A property removed from a conditional branch is removed too.
    def conditional(email: bool) -> Callable[[dict[str, Any]], None]:
        def edit(doc: dict[str, Any]) -> None:
            props = {"email": {"type": "string"}} if email else {}
            _schemas(doc)["NewWorker"]["then"] = {"properties": {"phone": {}, **props}}

        return edit

    removed = _pair(tmp_path, conditional(True), conditional(False))
    assert {c.rule for c in removed.breaking} == {"request.body.property-removed"}


def _empty(allowed: bool | None) -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        if allowed is not None:
            doc["paths"]["/workers"]["get"]["parameters"][0]["allowEmptyValue"] = allowed

    return edit


def test_allow_empty_value_withdrawn_breaks(tmp_path: Path) -> None:
    for new in (False, None):
        result = _pair(tmp_path, _empty(True), _empty(new))
        assert [c.rule for c in result.breaking] == ["request.parameter.schema"]
    granted = _pair(tmp_path, _empty(None), _empty(True))
    assert granted.breaking == () and granted.changes


def _closed(keyword: str | None, *, where: str = "NewWorker") -> Callable[[dict[str, Any]], None]:
    def edit(doc: dict[str, Any]) -> None:
        if keyword is not None:
            _schemas(doc)[where][keyword] = False

    return edit


@pytest.mark.parametrize("keyword", ["additionalProperties", "unevaluatedProperties"])
def test_a_request_that_starts_refusing_unknown_properties_breaks(
    tmp_path: Path, keyword: str
) -> None:
    # OLD accepted (and ignored) properties it does not declare; a consumer compatible with
    # OLD may send one, and NEW refuses it.
    result = _pair(tmp_path, _closed(None), _closed(keyword))
    closing = [c for c in result.breaking if c.rule == "request.body.additional-properties"]
    assert closing, [c.message for c in result.changes]
    assert f"`{keyword}: false`" in closing[0].message
    assert {c.operation for c in closing} == {"POST /workers", None}  # and the component
    assert all(c.side == "request" for c in closing)
    # Opening it again refuses nobody; a response closed to readers changes nothing for them;
    # a schema closed in both versions is no change.
    assert not _pair(tmp_path, _closed(keyword), _closed(None)).breaking
    assert not _pair(
        tmp_path, _closed(None, where="Worker"), _closed(keyword, where="Worker")
    ).breaking
    assert not _pair(tmp_path, _closed(keyword), _closed(keyword)).changes


def test_a_property_removed_from_a_closed_request_is_still_a_removed_input(tmp_path: Path) -> None:
    def removed_and_closed(doc: dict[str, Any]) -> None:
        _property_removed(doc)
        _schemas(doc)["NewWorker"]["additionalProperties"] = False

    old_closed = _pair(tmp_path, _closed("additionalProperties"), removed_and_closed)
    rules = {c.rule for c in old_closed.breaking}
    # OLD was already closed: nothing newly refused but the removed property itself.
    assert "request.body.additional-properties" in rules  # `email` is now refused
    assert not any("now refused" in c.message for c in old_closed.breaking)
