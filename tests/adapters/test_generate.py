"""The deterministic instance builder and the dialect helpers."""

from __future__ import annotations

import random
import re

import pytest

from interop.adapters.mock.dialects import (
    Condition,
    dialect_named,
    matches,
    parse_filter,
    parse_sort,
    sort_records,
)
from interop.adapters.mock.generate import instance_for, string_for_pattern
from interop.harness.schema import CompiledValidator, normalise_standalone

SCHEMAS = [
    {"type": "string", "format": "date"},
    {"type": "string", "format": "date-time"},
    {"type": "string", "format": "email"},
    {"type": "string", "format": "uuid"},
    {"type": "string", "pattern": r"^/Date\(\d{12,13}\)/$"},
    {"type": "string", "pattern": "^[0-9a-f]{32}$"},
    {"type": "string", "pattern": "^QQ[0-9]{6}[A-D]$", "maxLength": 9},
    {"type": "integer", "minimum": 10, "maximum": 20, "multipleOf": 5},
    {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
    {"type": "array", "items": {"enum": ["a", "b", "c"]}, "minItems": 2, "uniqueItems": True},
    {
        "type": "object",
        "required": ["kind"],
        "oneOf": [
            {"properties": {"kind": {"const": "cat"}, "lives": {"type": "integer"}}},
            {"properties": {"kind": {"const": "dog"}}, "required": ["bark"]},
        ],
    },
    {
        "allOf": [
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}},
            {"required": ["b"], "properties": {"b": {"type": "integer", "minimum": 3}}},
        ]
    },
    {"type": ["string", "null"], "maxLength": 3},
    {
        "$defs": {
            "Node": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
                },
            }
        },
        "$ref": "#/$defs/Node",
    },
]


@pytest.mark.parametrize("raw", SCHEMAS, ids=lambda s: str(s)[:40])
def test_instances_validate_and_are_deterministic(raw) -> None:
    schema = normalise_standalone(raw)
    validator = CompiledValidator(schema)
    ok, value = instance_for(schema, validator.is_valid, seed=3)
    assert ok, schema
    assert validator.is_valid(value)
    assert instance_for(schema, validator.is_valid, seed=3) == (True, value)


def test_unsatisfiable_schema_is_reported() -> None:
    schema = normalise_standalone({"type": "object", "allOf": [{"type": "string"}]})
    validator = CompiledValidator(schema)
    assert instance_for(schema, validator.is_valid, seed=0) == (False, None)


def test_pattern_strings() -> None:
    rng = random.Random(1)
    text = string_for_pattern(r"^[A-Z]{2}-\d{4}$", rng)
    assert text is not None and re.fullmatch(r"[A-Z]{2}-\d{4}", text)
    assert string_for_pattern(r"^\p{L}+$", rng) is None  # not a Python regex: no guess


def test_filters_and_sorting() -> None:
    assert parse_filter("q", "PersonNumber='100234' and Grade>3") == [
        Condition("PersonNumber", "eq", "100234"),
        Condition("Grade", "gt", 3),
    ]
    assert parse_filter("q", "Post=British Embassy Tokyo;AssignmentStatus=ACTIVE") == [
        Condition("Post", "eq", "British Embassy Tokyo"),
        Condition("AssignmentStatus", "eq", "ACTIVE"),
    ]
    odata = parse_filter("odata", "userId eq '10045821' and salary ge 30000")
    assert odata == [Condition("userId", "eq", "10045821"), Condition("salary", "ge", 30000)]
    assert parse_filter("odata", "what is this") is None
    records = [{"a": "x", "n": 2}, {"a": "y", "n": 10}, {"a": "x", "n": None}]
    assert [r["n"] for r in records if matches(r, [Condition("a", "eq", "x")])] == [2, None]
    assert [r["n"] for r in sort_records(records, parse_sort("q", "n:desc"))] == [10, 2, None]
    assert parse_sort("odata", "lastName desc, firstName") == [
        ("lastName", True),
        ("firstName", False),
    ]


def test_dialect_names() -> None:
    assert dialect_named("Oracle-style (Fusion release 11.13.18.05)").name == "oracle"
    assert dialect_named("SAP-style (S/4HANA finance, SuccessFactors HR)").name == "odata-v2"
    assert dialect_named("Workday-style").name == "workday"
    assert dialect_named("mainframe") is None
