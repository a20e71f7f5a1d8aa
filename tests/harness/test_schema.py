"""Normalisation of OpenAPI 3.0/3.1 schemas to 2020-12, and the compiled validators."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interop.harness.errors import InvalidContract
from interop.harness.loading import load_document
from interop.harness.schema import CompiledValidator, SchemaSet, normalise_standalone


def _contract(schemas: dict[str, Any], openapi: str = "3.0.3") -> SchemaSet:
    doc = {
        "openapi": openapi,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }
    return SchemaSet(load_document(doc))


def _ptr(name: str) -> str:
    return f"/components/schemas/{name}"


def test_nullable_30_folds_into_type_and_enum() -> None:
    s = _contract(
        {
            "A": {"type": "string", "nullable": True},
            "B": {"type": "string", "enum": ["x"], "nullable": True},
            "C": {"type": "string"},
        }
    )
    assert s.validator(_ptr("A")).is_valid(None)
    assert s.validator(_ptr("B")).is_valid(None)
    assert not s.validator(_ptr("B")).is_valid("y")
    assert not s.validator(_ptr("C")).is_valid(None)


def test_nullable_beside_ref_wraps_in_anyof() -> None:
    s = _contract(
        {"A": {"$ref": "#/components/schemas/B", "nullable": True}, "B": {"type": "integer"}}
    )
    v = s.validator(_ptr("A"))
    assert v.is_valid(None) and v.is_valid(3) and not v.is_valid("3")


def test_31_type_list_null() -> None:
    s = _contract({"A": {"type": ["string", "null"], "maxLength": 2}}, openapi="3.1.0")
    v = s.validator(_ptr("A"))
    assert v.is_valid(None) and v.is_valid("ab") and not v.is_valid("abc")


@pytest.mark.parametrize(
    ("schema", "ok", "bad"),
    [
        ({"type": "number", "maximum": 5, "exclusiveMaximum": True}, 4.9, 5),
        ({"type": "number", "minimum": 5, "exclusiveMinimum": True}, 5.1, 5),
        ({"type": "number", "maximum": 5, "exclusiveMaximum": False}, 5, 5.1),
        ({"type": "number", "exclusiveMaximum": 5}, 4, 5),
    ],
)
def test_exclusive_bounds_both_styles(schema: dict[str, Any], ok: float, bad: float) -> None:
    v = _contract({"A": schema}).validator(_ptr("A"))
    assert v.is_valid(ok)
    assert not v.is_valid(bad)


@pytest.mark.parametrize(
    ("fmt", "ok", "bad"),
    [
        ("date", "2024-04-01", "2024-13-01"),
        ("date-time", "2024-04-01T10:00:00+01:00", "2024-04-01"),
        ("email", "a.person@example.gov.uk", "not-an-email"),
        ("uuid", "123e4567-e89b-12d3-a456-426614174000", "123"),
    ],
)
def test_formats_are_asserted(fmt: str, ok: str, bad: str) -> None:
    v = _contract({"A": {"type": "string", "format": fmt}}).validator(_ptr("A"))
    assert v.is_valid(ok)
    assert not v.is_valid(bad)
    message = v.first_error(bad)
    assert message is not None and fmt in message


def test_read_only_and_write_only_per_direction() -> None:
    s = _contract(
        {
            "W": {
                "type": "object",
                "required": ["id", "name", "secret"],
                "properties": {
                    "id": {"$ref": "#/components/schemas/Id"},
                    "name": {"type": "string"},
                    "secret": {"type": "string", "writeOnly": True},
                },
            },
            "Id": {"type": "integer", "readOnly": True},
        }
    )
    request = s.validator(_ptr("W"), "request")
    response = s.validator(_ptr("W"), "response")
    neutral = s.validator(_ptr("W"))
    assert request.is_valid({"name": "a", "secret": "s"})  # readOnly id not required
    assert not request.is_valid({"name": "a", "secret": "s", "id": 1})  # and never sent
    assert response.is_valid({"id": 1, "name": "a"})  # writeOnly secret not required
    assert not response.is_valid({"id": 1, "name": "a", "secret": "s"})
    assert not neutral.is_valid({"name": "a", "secret": "s"})


def test_recursive_schema_validates_at_depth() -> None:
    s = _contract(
        {
            "Org": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 3},
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Org"}},
                },
            }
        }
    )
    v = s.validator(_ptr("Org"))
    assert v.is_valid({"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]})
    deep = {"name": "a", "children": [{"name": "b", "children": [{"name": "long"}]}]}
    assert not v.is_valid(deep)
    message = v.first_error(deep)
    assert message is not None and "/children/0/children/0/name" in message


def test_example_and_extensions_dropped_discriminator_kept() -> None:
    s = _contract(
        {
            "A": {
                "type": "object",
                "example": {"a": 1},
                "x-vendor": True,
                "discriminator": {"propertyName": "kind"},
            }
        }
    )
    schema = s.schema(_ptr("A"))
    body = schema["$defs"][schema["$ref"].rsplit("/", 1)[-1]]
    assert "example" not in body and "x-vendor" not in body
    assert body["discriminator"] == {"propertyName": "kind"}


def test_validators_are_cached() -> None:
    s = _contract({"A": {"type": "string"}})
    assert s.validator(_ptr("A")) is s.validator(_ptr("A"))
    assert s.validator(_ptr("A"), "request") is not s.validator(_ptr("A"))


def test_uncompilable_schema_is_a_contract_error() -> None:
    s = _contract({"A": {"type": "string", "pattern": "(unclosed"}})
    with pytest.raises(InvalidContract) as info:
        s.validator(_ptr("A"))
    assert "/components/schemas/A" in str(info.value)


def test_lookaround_pattern_compiles() -> None:
    v = _contract({"A": {"type": "string", "pattern": "^(?!x)[a-z]+$"}}).validator(_ptr("A"))
    assert v.is_valid("abc") and not v.is_valid("xyz")


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=20), st.text(max_size=25))
def test_max_length_matches_python(limit: int, text: str) -> None:
    v = _contract({"A": {"type": "string", "maxLength": limit}}).validator(_ptr("A"))
    assert v.is_valid(text) == (len(text) <= limit)


def test_normalise_standalone() -> None:
    schema = normalise_standalone({"type": "integer", "nullable": True, "example": 1})
    assert schema["type"] == ["integer", "null"]
    assert "example" not in schema


def _ref_beside_type(openapi: str) -> SchemaSet:
    return SchemaSet(
        load_document(
            {
                "openapi": openapi,
                "info": {"title": "t", "version": "1"},
                "paths": {},
                "components": {
                    "schemas": {
                        "Code": {"type": "string", "enum": ["A", "B"]},
                        "Holder": {
                            "type": "object",
                            "properties": {
                                "code": {"type": "object", "$ref": "#/components/schemas/Code"}
                            },
                        },
                    }
                },
            }
        )
    )


def test_openapi_30_ignores_siblings_of_ref():
    validator = _ref_beside_type("3.0.3").validator("/components/schemas/Holder")
    assert validator.is_valid({"code": "A"})
    assert not validator.is_valid({"code": "C"})


def test_openapi_31_applies_siblings_of_ref():
    validator = _ref_beside_type("3.1.0").validator("/components/schemas/Holder")
    assert not validator.is_valid({"code": "A"})  # 2020-12: both the $ref and the type apply


def test_problems_lists_every_failure_first_problem_first() -> None:
    schema = {
        "type": "object",
        "required": ["a", "b"],
        "additionalProperties": False,
        "properties": {"a": {"type": "integer", "maximum": 3}, "b": {"type": "string"}},
    }
    validator = CompiledValidator(schema)
    assert validator.problems({"a": 1, "b": "x"}) == ()
    found = validator.problems({"a": 9, "c": 1})
    assert found[0] == validator.first_problem({"a": 9, "c": 1})
    assert {p.keyword for p in found} >= {"maximum", "required", "additionalProperties"}
    assert len(found) == len(set(found))
