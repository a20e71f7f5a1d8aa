"""Inline with recursion cut, allOf merge, closing and opening of objects."""

from __future__ import annotations

from interop.harness.compat.shapes import CUT, closed, inline, merge_all_of, opened, opened_document

RECURSIVE = {
    "$ref": "#/$defs/Org",
    "$defs": {
        "Org": {
            "type": "object",
            "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/Org"}}},
        }
    },
}


def _depth(node: object) -> int:
    if isinstance(node, dict) and "properties" in node:
        items = node["properties"]["kids"]["items"]
        return 1 + _depth(items)
    return 0


def test_inline_cuts_recursion() -> None:
    producer = inline(RECURSIVE, cut=False)
    consumer = inline(RECURSIVE, cut=True)
    assert _depth(producer.schema) == 2
    assert producer.schema["properties"]["kids"]["items"]["properties"]["kids"]["items"] is False
    # The accepting side accepts anything there, and says which schema it cut (so that static
    # reasoning can unroll it).
    cut = consumer.schema["properties"]["kids"]["items"]["properties"]["kids"]["items"]
    assert set(cut) == {CUT} and isinstance(cut[CUT], str)


def test_merge_all_of() -> None:
    merged = merge_all_of(
        {
            "allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
                {"properties": {"b": {"type": "integer", "maximum": 5}}, "required": ["b"]},
                {"properties": {"b": {"maximum": 3}}},
            ]
        }
    )
    assert merged["required"] == ["a", "b"]
    assert merged["properties"]["b"] == {"type": "integer", "maximum": 3}
    assert "allOf" not in merged


def test_merge_keeps_closed_members_apart() -> None:
    schema = {
        "allOf": [
            {"properties": {"a": {}}, "additionalProperties": False},
            {"properties": {"b": {}}},
        ]
    }
    assert "allOf" in merge_all_of(schema)


def test_closed_and_opened() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "object", "properties": {}}}}
    shut = closed(schema)
    assert shut["additionalProperties"] is False
    assert shut["properties"]["a"]["additionalProperties"] is False
    assert "additionalProperties" not in opened(shut)
    assert "additionalProperties" not in opened(shut)["properties"]["a"]
    document = {"$ref": "#/$defs/A", "$defs": {"A": shut}}
    assert "additionalProperties" not in opened_document(document)["$defs"]["A"]
