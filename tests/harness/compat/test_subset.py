"""Static subset reasoning, cross-checked against validators and generation."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from interop.harness.compat.subset import compare
from interop.harness.schema import CompiledValidator


def _constraints(issues: list[Any]) -> set[tuple[str, tuple[Any, ...]]]:
    return {(i.constraint, i.path) for i in issues}


def test_identical_schemas_are_a_sure_subset() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string", "maxLength": 3}},
        "required": ["a"],
        "additionalProperties": False,
    }
    assert compare(schema, schema) == ([], True)


def test_nested_max_length_found_at_its_path() -> None:
    producer = {
        "type": "object",
        "properties": {
            "d": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"n": {"type": "string", "maxLength": 100}},
                    "additionalProperties": False,
                },
            }
        },
        "additionalProperties": False,
    }
    consumer = {
        "type": "object",
        "properties": {
            "d": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"n": {"type": "string", "maxLength": 40}},
                },
            }
        },
    }
    issues, sure = compare(producer, consumer)
    assert _constraints(issues) == {("max-length", ("d", 0, "n"))}
    assert issues[0].facts == {"limit": 40, "producer": 100}
    assert sure


def test_type_nullable_and_integer_number() -> None:
    issues, _ = compare({"type": ["integer", "null"]}, {"type": "number"})
    assert _constraints(issues) == {("nullable", ())}
    issues, _ = compare({"type": "number"}, {"type": "integer"})
    assert _constraints(issues) == {("type", ())}


def test_required_and_closed_objects() -> None:
    producer = {
        "type": "object",
        "properties": {"a": {}, "b": {}},
        "required": ["a"],
        "additionalProperties": False,
    }
    consumer = {
        "type": "object",
        "properties": {"a": {}},
        "required": ["a", "b", "c"],
        "additionalProperties": False,
    }
    issues, _ = compare(producer, consumer)
    found = {(i.constraint, i.facts.get("name"), i.omit, i.facts.get("never")) for i in issues}
    assert ("required", "b", "b", None) in found  # b may be left out
    assert ("required", "c", None, True) in found  # c is never sent
    assert ("additional-properties", "b", None, None) in found


def test_bounds_both_exclusive_styles() -> None:
    issues, _ = compare(
        {"type": "integer", "maximum": 10}, {"type": "integer", "exclusiveMaximum": 10}
    )
    assert _constraints(issues) == {("maximum", ())}
    assert compare(
        {"type": "integer", "exclusiveMaximum": 10}, {"type": "integer", "maximum": 10}
    ) == ([], True)


def test_patterns_and_combinators_are_unsure() -> None:
    # (a pattern automata can express is decided: tests/harness/compat/test_patterns.py)
    _, sure = compare({"type": "string"}, {"type": "string", "pattern": "^(?=a)"})
    assert not sure
    _, sure = compare(
        {"type": "string"}, {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "integer"}]}
    )
    assert not sure


def test_a_oneof_overlap_is_a_candidate_within_the_other_branch() -> None:
    # Always accepted by the first branch; refused where the second matches too: the witness
    # is searched for within the second branch (and verified by the caller).
    issues, sure = compare(
        {"type": "string"}, {"oneOf": [{"type": "string"}, {"type": "string", "maxLength": 3}]}
    )
    assert sure
    (issue,) = issues
    assert issue.constraint == "combinator" and issue.path == ()
    assert issue.violation == {"type": "string", "maxLength": 3}


def test_accepting_applicators_decided_by_disjointness() -> None:
    # A oneOf accepts what is a subset of one branch and disjoint from the others.
    assert compare({"type": "integer"}, {"oneOf": [{"type": "integer"}, {"type": "string"}]}) == (
        [],
        True,
    )
    assert compare({"type": "integer"}, {"not": {"type": "string"}}) == ([], True)
    # The producer is split on a required property with finite values (a discriminator).
    kinds = {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"type": "string", "enum": ["a", "b", "c"]}},
        "additionalProperties": False,
    }
    branch = {
        name: {"type": "object", "required": ["kind"], "properties": {"kind": {"const": name}}}
        for name in ("a", "b")
    }
    issues, sure = compare(
        kinds, {"oneOf": list(branch.values()), "discriminator": {"propertyName": "kind"}}
    )
    assert sure
    assert [(i.constraint, i.facts) for i in issues] == [
        ("discriminator", {"property": "kind", "value": "c"})
    ]
    # propertyNames and dependentRequired, for a closed producer whose names are known.
    closed = {
        "type": "object",
        "properties": {"Abc": {"type": "string"}, "b": {"type": "string"}},
        "additionalProperties": False,
    }
    issues, sure = compare(closed, {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}})
    assert sure and [(i.constraint, i.include) for i in issues] == [("schema", "Abc")]
    issues, sure = compare(closed, {"type": "object", "dependentRequired": {"Abc": ["b"]}})
    assert sure and [(i.constraint, i.include, i.omit) for i in issues] == [("schema", "Abc", "b")]


def test_enum_values_checked_one_by_one() -> None:
    issues, sure = compare({"enum": ["a", "b", None]}, {"type": "string", "enum": ["a", "b"]})
    assert sure
    assert [(i.constraint, i.violation) for i in issues] == [("nullable", {"const": None})]


_SCALAR = st.fixed_dictionaries(
    {"type": st.sampled_from(["string", "integer"])},
    optional={
        "maxLength": st.integers(0, 6),
        "minLength": st.integers(0, 3),
        "maximum": st.integers(-5, 5),
        "minimum": st.integers(-5, 5),
        "enum": st.lists(
            st.sampled_from(["", "a", "ab", 0, 1, 3]), min_size=1, max_size=3, unique=True
        ),
        "multipleOf": st.sampled_from([1, 2, 3]),
    },
)
_OBJECT = st.builds(
    lambda props, required: {
        "type": "object",
        "properties": props,
        "required": sorted(set(required) & set(props)),
        "additionalProperties": False,
    },
    st.dictionaries(st.sampled_from(["a", "b"]), _SCALAR, max_size=2),
    st.lists(st.sampled_from(["a", "b"]), max_size=2),
)


@settings(max_examples=60, deadline=None)
@given(st.one_of(_SCALAR, _OBJECT), st.one_of(_SCALAR, _OBJECT), st.data())
def test_sure_subset_means_every_producer_value_is_accepted(
    producer: dict[str, Any], consumer: dict[str, Any], data: st.DataObject
) -> None:
    issues, sure = compare(producer, consumer)
    producer_valid = CompiledValidator(producer)
    consumer_valid = CompiledValidator(consumer)
    if sure and not issues:
        try:
            value = data.draw(from_schema(producer))
        except Exception:
            return
        if producer_valid.is_valid(value):
            assert consumer_valid.is_valid(value), (producer, consumer, value)


_ACCEPTING = st.one_of(
    st.lists(st.one_of(_SCALAR, _OBJECT), min_size=1, max_size=3).map(lambda b: {"oneOf": b}),
    st.lists(st.one_of(_SCALAR, _OBJECT), min_size=1, max_size=3).map(lambda b: {"anyOf": b}),
    st.one_of(_SCALAR, _OBJECT).map(lambda n: {"not": n}),
    st.sampled_from(["^[a-z]$", "^b", "a"]).map(
        lambda pattern: {"type": "object", "propertyNames": {"pattern": pattern}}
    ),
    st.dictionaries(
        st.sampled_from(["a", "b"]), st.lists(st.sampled_from(["a", "b"]), max_size=2, unique=True)
    ).map(lambda d: {"type": "object", "dependentRequired": d}),
)


@settings(max_examples=int(os.environ.get("SUBSET_EXAMPLES", "80")), deadline=None)
@given(st.one_of(_SCALAR, _OBJECT), _ACCEPTING, st.data())
def test_applicators_decided_statically_are_sound(
    producer: dict[str, Any], consumer: dict[str, Any], data: st.DataObject
) -> None:
    """Sure with no issue: every producer value is accepted (oneOf/anyOf/not decided by
    disjointness, propertyNames/dependentRequired on closed producers)."""
    issues, sure = compare(producer, consumer)
    if not sure:
        return
    producer_valid = CompiledValidator(producer)
    consumer_valid = CompiledValidator(consumer)
    try:
        values = [data.draw(from_schema(producer)) for _ in range(5)]
    except Exception:
        return
    values = [v for v in values if producer_valid.is_valid(v)]
    if not issues:
        assert all(consumer_valid.is_valid(v) for v in values), (producer, consumer, values)
