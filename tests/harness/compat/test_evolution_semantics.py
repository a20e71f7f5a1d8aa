"""``check`` semantics that ``diff`` relies on: integer formats are ranges, response media types
are negotiated, ``allowEmptyValue`` is honoured (docs/rules.md, docs/diff-corpus.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from interop.harness.check import check_pair
from interop.harness.compat.shapes import integer_ranges
from interop.harness.loading import load_contract


def _doc(operation: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things": {"post": operation}},
    }


def _errors(tmp_path: Path, consumer: dict[str, Any], provider: dict[str, Any]) -> set[str]:
    c, p = tmp_path / "consumer.yaml", tmp_path / "provider.yaml"
    c.write_text(yaml.safe_dump(_doc(consumer)), encoding="utf-8")
    p.write_text(yaml.safe_dump(_doc(provider)), encoding="utf-8")
    _, findings = check_pair(
        load_contract(c), load_contract(p), programme="c", cluster="p", max_examples=10
    )
    return {f.rule for f in findings if f.severity == "error"}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
        "responses": {"200": {"description": "ok"}},
    }


def _answer(content: dict[str, Any]) -> dict[str, Any]:
    return {"responses": {"200": {"description": "ok", "content": content}}}


def test_integer_ranges() -> None:
    assert integer_ranges({"type": "integer", "format": "int32"}) == {
        "type": "integer",
        "format": "int32",
        "maximum": 2**31 - 1,
        "minimum": -(2**31),
    }
    tighter = {"type": "integer", "format": "int64", "minimum": 0, "maximum": 10}
    assert integer_ranges(tighter) is tighter
    plain = {"properties": {"format": {"type": "string", "format": "date"}}, "enum": ["int32"]}
    assert integer_ranges(plain) is plain
    assert integer_ranges({"type": "number", "format": "double"}) == {
        "type": "number",
        "format": "double",
    }


@pytest.mark.parametrize(
    ("sent", "accepted", "rules"),
    [
        ({"format": "int64"}, {"format": "int32"}, {"request.body.maximum"}),
        ({}, {"format": "int32"}, {"request.body.maximum"}),
        ({"format": "int32"}, {"format": "int64"}, set()),
        ({"format": "int32"}, {}, set()),
        ({"format": "int32"}, {"format": "int32"}, set()),
        ({"minimum": 0, "maximum": 100}, {"format": "int32"}, set()),
    ],
)
def test_request_integer_formats_are_ranges(
    tmp_path: Path, sent: dict[str, Any], accepted: dict[str, Any], rules: set[str]
) -> None:
    found = _errors(
        tmp_path, _body({"type": "integer", **sent}), _body({"type": "integer", **accepted})
    )
    # The lower bound is broken too; one finding per accepting keyword is enough here.
    assert found - {"request.body.minimum"} == rules


def test_response_integer_format_wider_than_read(tmp_path: Path) -> None:
    def answer(fmt: str) -> dict[str, Any]:
        return _answer({"application/json": {"schema": {"type": "integer", "format": fmt}}})

    assert "response.body.maximum" in _errors(tmp_path, answer("int32"), answer("int64"))
    assert _errors(tmp_path, answer("int64"), answer("int32")) == set()


@pytest.mark.parametrize(
    ("reads", "answers", "rules"),
    [
        (["application/json"], ["application/json", "text/csv"], set()),
        (["application/json", "application/xml"], ["application/xml"], set()),
        (["application/json"], ["text/csv"], {"response.body.media-type"}),
        (["application/json"], ["application/problem+json"], set()),
    ],
)
def test_response_media_types_must_intersect(
    tmp_path: Path, reads: list[str], answers: list[str], rules: set[str]
) -> None:
    schema = {"type": "object"}
    found = _errors(
        tmp_path,
        _answer({m: {"schema": schema} for m in reads}),
        _answer({m: {"schema": schema} for m in answers}),
    )
    assert found == rules


def test_negotiated_media_types_still_compare_schemas(tmp_path: Path) -> None:
    reads = _answer({"application/json": {"schema": {"type": "string", "maxLength": 3}}})
    answers = _answer(
        {
            "text/csv": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "string", "maxLength": 10}},
        }
    )
    assert _errors(tmp_path, reads, answers) == {"response.body.max-length"}


def _query(allow_empty: bool | None) -> dict[str, Any]:
    param: dict[str, Any] = {"name": "q", "in": "query", "schema": {"type": "string"}}
    if allow_empty is not None:
        param["allowEmptyValue"] = allow_empty
    return {"parameters": [param], "responses": {"200": {"description": "ok"}}}


@pytest.mark.parametrize(
    ("consumer", "provider", "rules"),
    [
        (True, None, {"request.parameter.schema"}),
        (True, False, {"request.parameter.schema"}),
        (True, True, set()),
        (None, True, set()),
        (None, None, set()),
    ],
)
def test_allow_empty_value(
    tmp_path: Path, consumer: bool | None, provider: bool | None, rules: set[str]
) -> None:
    assert _errors(tmp_path, _query(consumer), _query(provider)) == rules
