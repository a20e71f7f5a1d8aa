"""Witnesses keep what the violation needs (issue 12, item 2): a constraint that needs an
optional property present is found, with a witness carrying it, and decided both ways."""

from __future__ import annotations

from typing import Any

import pytest

from interop.harness.check import check_pair
from interop.harness.loading import load_document
from interop.harness.schema import CompiledValidator


def _doc(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/w": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": schema}},
                    },
                    "responses": {"204": {"description": "ok"}},
                }
            }
        },
    }


OPTIONAL = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}},
}
SENDS_A_WITH_C = {**OPTIONAL, "required": ["a"], "properties": {"a": {"type": "string"}, "c": {}}}

CASES = [
    # (accepting schema, rule when the consumer sends OPTIONAL, a consumer it accepts)
    ({"type": "object", "maxProperties": 2}, "request.body.max-properties", SENDS_A_WITH_C),
    (
        {"type": "object", "not": {"required": ["c"]}},
        "request.body.combinator",
        {
            **OPTIONAL,
            "properties": {"a": {"type": "string"}},
        },
    ),
    (
        {"type": "object", "if": {"required": ["c"]}, "then": {"required": ["a"]}},
        "request.body.schema",
        SENDS_A_WITH_C,
    ),
    ({"type": "object", "dependentRequired": {"c": ["a"]}}, "request.body.schema", SENDS_A_WITH_C),
    (
        {"type": "object", "propertyNames": {"pattern": "^[ac]$"}},
        "request.body.schema",
        SENDS_A_WITH_C,
    ),
]


@pytest.mark.parametrize(
    ("acceptor", "rule", "fine"), CASES, ids=[c[1] + str(i) for i, c in enumerate(CASES)]
)
def test_constraints_on_optional_properties_are_decided(
    acceptor: dict[str, Any], rule: str, fine: dict[str, Any]
) -> None:
    pair, findings = check_pair(
        load_document(_doc(OPTIONAL)), load_document(_doc(acceptor)), programme="p", cluster="c"
    )
    assert pair.status.value == "incompatible", findings
    (finding,) = findings
    assert finding.rule == rule
    value = finding.counterexample.value if finding.counterexample else None
    # the witness: the consumer's schema accepts it, the provider's refuses it
    assert CompiledValidator(OPTIONAL).is_valid(value)
    assert not CompiledValidator(acceptor).is_valid(value)
    pair, findings = check_pair(
        load_document(_doc(fine)), load_document(_doc(acceptor)), programme="p", cluster="c"
    )
    assert (pair.status.value, findings) == ("compatible", ())
