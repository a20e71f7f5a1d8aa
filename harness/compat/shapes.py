"""Reshapes normalised schemas for the engine: inline ``$ref``s, merge ``allOf``, close, open.

The static engine and the generators work on plain trees (no ``$ref``); validators keep the
self-contained form from ``schema.py`` so that recursion is exact there.

- A producing side sends only what it declares: ``closed`` adds ``additionalProperties: false``
  to its objects (the consumer's request schemas are closed by definition; a provider's
  undeclared response properties are ignored by consumers anyway).
- A consumer reading a response ignores what it does not declare: ``opened`` drops
  ``additionalProperties: false`` from its schemas (and reads a ``oneOf`` as ``anyOf``, since
  opened alternatives overlap).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..types import JsonObject, JsonValue

__all__ = [
    "CUT",
    "INTEGER_FORMATS",
    "Tree",
    "closed",
    "inline",
    "integer_ranges",
    "merge_all_of",
    "opened",
    "opened_document",
]

_RECURSION_DEPTH = 2
CUT = "x-interop-cut"
"""An accepting tree's recursion cut: ``{CUT: <$defs key>}`` accepts anything (an annotation
to every reader of the tree) and names the schema that continues there."""
_NODE_BUDGET = 20_000


@dataclass(frozen=True, slots=True)
class Tree:
    """A schema as a plain tree. ``exact`` is False when recursion or size forced a cut."""

    schema: JsonValue
    exact: bool


def inline(document: JsonObject, *, cut: bool) -> Tree:
    """Replace every ``#/$defs/<key>`` reference by its target, recursion cut after two levels.

    ``cut`` is what a cut recursion becomes: ``False`` on a producing side (generate nothing
    deeper), ``True`` on a consuming side (accept anything deeper, already compared above).
    """
    defs = document.get("$defs", {})
    budget = [_NODE_BUDGET]
    exact = [True]

    def walk(node: JsonValue, stack: tuple[str, ...]) -> JsonValue:
        budget[0] -= 1
        if budget[0] < 0:
            exact[0] = False
            return cut
        if isinstance(node, list):
            return [walk(item, stack) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            key = ref[len("#/$defs/") :]
            if stack.count(key) >= _RECURSION_DEPTH or key not in defs:
                exact[0] = exact[0] and key in defs
                if cut is True and key in defs:
                    # Accepting side: accept anything here, but say which schema was cut, so
                    # that static reasoning can unroll it (``subset.acceptor_cuts``).
                    return {CUT: key}
                return cut
            target = walk(defs[key], (*stack, key))
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if not siblings:
                return target
            rest = {k: _each(k, v, lambda x: walk(x, stack)) for k, v in siblings.items()}
            if not isinstance(target, dict):
                return {"allOf": [target, rest]}
            return {"allOf": [target, rest]}
        return {
            k: _each(k, v, lambda x: walk(x, stack))
            for k, v in node.items()
            if k not in ("$defs", "$schema")
        }

    root = walk({"$ref": document["$ref"]}, ()) if "$ref" in document else walk(document, ())
    return Tree(root, exact[0])


# Keywords whose values are data, not schemas: never walked as schemas.
_LITERAL = frozenset(
    {"enum", "const", "default", "examples", "required", "discriminator", "type", "format"}
)

# Keywords whose value maps names (of properties, definitions) to schemas: a property called
# `type` or `enum` is a schema there, not a literal.
_NAME_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})


def _each(key: str, value: Any, apply: Callable[[Any], Any]) -> Any:
    """``value`` of keyword ``key`` with ``apply`` run on every schema in it: each member of a
    name map, the value itself for a schema keyword, nothing for a literal one."""
    if key in _NAME_MAPS and isinstance(value, dict):
        return {name: apply(sub) for name, sub in value.items()}
    if key in _LITERAL:
        return value
    return apply(value)


_MERGEABLE_MIN = ("maxLength", "maxItems", "maxProperties", "maximum", "exclusiveMaximum")
_MERGEABLE_MAX = ("minLength", "minItems", "minProperties", "minimum", "exclusiveMinimum")


def merge_all_of(node: JsonValue) -> JsonValue:
    """Fold ``allOf`` members into their parent where that keeps the meaning, recursively."""
    if isinstance(node, list):
        return [merge_all_of(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {k: _each(k, v, merge_all_of) for k, v in node.items() if k != "allOf"}
    members = node.get("allOf")
    if not isinstance(members, list):
        return out
    residual: list[JsonValue] = []
    for member in (merge_all_of(m) for m in members):
        if member is True or member == {}:
            continue
        if not isinstance(member, dict) or not _merge_into(out, member):
            residual.append(member)
    if residual:
        out["allOf"] = residual
    return out


def _merge_into(out: dict[str, Any], member: dict[str, Any]) -> bool:
    """Merge ``member`` into ``out`` in place when every keyword combines exactly."""
    if any(k in member for k in ("allOf", "anyOf", "oneOf", "not", "if", "$ref")):
        return False
    closed_here = out.get("additionalProperties") is False
    closed_there = member.get("additionalProperties") is False
    if (closed_here and set(member.get("properties", {})) - set(out.get("properties", {}))) or (
        closed_there and set(out.get("properties", {})) - set(member.get("properties", {}))
    ):
        return False  # allOf with a closed member rejects the other's properties: keep it
    merged = dict(out)
    for key, value in member.items():
        if key not in merged:
            merged[key] = value
        elif key == "properties":
            props = dict(merged[key])
            for name, sub in value.items():
                props[name] = merge_all_of({"allOf": [props[name], sub]}) if name in props else sub
            merged[key] = props
        elif key == "required":
            merged[key] = list(dict.fromkeys([*merged[key], *value]))
        elif key == "type":
            mine = _types(merged[key])
            theirs = _types(value)
            both = [t for t in mine if t in theirs]
            if "integer" in mine and "number" in theirs and "integer" not in both:
                both.append("integer")
            if "number" in mine and "integer" in theirs and "integer" not in both:
                both.append("integer")
            merged[key] = both[0] if len(both) == 1 else both
        elif key in _MERGEABLE_MIN and _is_number(value) and _is_number(merged[key]):
            merged[key] = min(merged[key], value)
        elif key in _MERGEABLE_MAX and _is_number(value) and _is_number(merged[key]):
            merged[key] = max(merged[key], value)
        elif key == "enum" and isinstance(value, list) and isinstance(merged[key], list):
            merged[key] = [v for v in merged[key] if v in value]
        elif merged[key] == value or key in ("description", "title", "readOnly", "writeOnly"):
            continue
        else:
            return False
    out.clear()
    out.update(merged)
    return True


def _types(value: JsonValue) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


def _is_number(value: JsonValue) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def closed(node: JsonValue, *, in_all_of: bool = False) -> JsonValue:
    """Objects send only their declared properties (not inside ``allOf``, where it would
    reject the other members' properties)."""
    if isinstance(node, list):
        return [closed(item, in_all_of=in_all_of) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _NAME_MAPS or key in _LITERAL:
            out[key] = _each(key, value, closed)
        elif key == "allOf":
            out[key] = (
                [closed(m, in_all_of=True) for m in value] if isinstance(value, list) else value
            )
        else:
            out[key] = closed(value)
    is_object = "properties" in out or out.get("type") == "object"
    if (
        is_object
        and not in_all_of
        and "allOf" not in out
        and not any(
            k in out for k in ("additionalProperties", "patternProperties", "unevaluatedProperties")
        )
    ):
        out["additionalProperties"] = False
    return out


def opened(node: JsonValue) -> JsonValue:
    """A reader ignores properties it does not declare: drop ``additionalProperties: false``."""
    if isinstance(node, list):
        return [opened(item) for item in node]
    if not isinstance(node, dict):
        return node
    # Opened alternatives overlap, so a tolerant reader's oneOf is an anyOf: a value matching
    # two of its alternatives is still one it can read.
    return {
        ("anyOf" if key == "oneOf" else key): _each(key, value, opened)
        for key, value in node.items()
        if not (key in ("additionalProperties", "unevaluatedProperties") and value is False)
        and not (key in ("maxProperties",) and "properties" in node)
        and not (key == "oneOf" and "anyOf" in node)
    }


def opened_document(document: JsonObject) -> JsonObject:
    """``opened`` over a self-contained schema (``$defs`` included)."""
    result = copy.copy(document)
    if "$defs" in document:
        result["$defs"] = {k: opened(v) for k, v in document["$defs"].items()}
    rest = opened({k: v for k, v in document.items() if k not in ("$defs", "$schema", "$ref")})
    if isinstance(rest, dict):
        result.update(rest)
    return result


# OpenAPI's integer formats are ranges (two's complement, signed): the engine asserts them as
# ``minimum``/``maximum``, so a narrower format is a tightened bound and a wider one a loosened
# bound, judged like any other. ``float``/``double`` stay annotations: their range is not what
# clients notice (precision is), and a bound cannot express precision.
INTEGER_FORMATS: dict[str, tuple[int, int]] = {
    "int32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
}


def integer_ranges(node: JsonValue) -> JsonValue:
    """``node`` with ``format: int32``/``int64`` also written as ``minimum``/``maximum`` (kept
    within any bound already there). Returns ``node`` itself when nothing changes."""
    if isinstance(node, list):
        items = [integer_ranges(item) for item in node]
        return node if all(a is b for a, b in zip(items, node, strict=True)) else items
    if not isinstance(node, dict):
        return node
    changed = False
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _LITERAL or key in ("examples", "x-interop-hidden"):
            out[key] = value
            continue
        new = _each(key, value, integer_ranges)
        if key in _NAME_MAPS and isinstance(value, dict):
            new = value if all(new[k] is value[k] for k in value) else new
        changed = changed or new is not value
        out[key] = new
    fmt = node.get("format")
    span = INTEGER_FORMATS.get(fmt) if isinstance(fmt, str) else None
    if span is not None:
        low, high = span
        maximum, minimum = node.get("maximum"), node.get("minimum")
        if not (isinstance(maximum, (int, float)) and not isinstance(maximum, bool)) or (
            maximum > high
        ):
            out["maximum"] = high
            changed = True
        if not (isinstance(minimum, (int, float)) and not isinstance(minimum, bool)) or (
            minimum < low
        ):
            out["minimum"] = low
            changed = True
    return out if changed else node
