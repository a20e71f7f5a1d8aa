"""OpenAPI discriminators as the engine judges them: the value of the property picks the schema.

JSON Schema reads ``discriminator`` as an annotation: a ``oneOf`` is judged by trying every
branch (a value two overlapping branches accept is refused; a tag no branch knows passes when
a branch leaves the property free), and a base schema that others extend accepts any tag. A
programme's deserialiser does what OpenAPI says instead: it reads the tag, looks it up in the
mapping (``schema.py`` reads it whole: explicit and implicit entries, ``x-interop-style``), and
validates the value against that one schema; a tag the mapping lacks is refused.

``dispatched(document)`` rewrites a self-contained schema so that its validators, the static
reasoning and the generators all mean exactly that:

- a ``oneOf``/``anyOf`` with a discriminator becomes ``anyOf: [{allOf: [{$ref: target},
  {tag: const value}]}, ...]``, one branch per mapped value (the branches are disjoint by the
  tag, so ``anyOf`` is ``oneOf``), the discriminator kept beside it as an annotation (so that
  a refusal there is reported as ``<place>.discriminator``);
- a base schema carrying the discriminator (the ``allOf``-inheritance style) becomes the same
  dispatch over its mapped children, and a child's ``allOf`` reference to its base reads the
  base's own schema (``<key>~base``), so that a child is not dispatched again.

A discriminator whose mapping was not read whole (no ``x-interop-style``) is left as written.
"""

from __future__ import annotations

from typing import Any

from ..types import JsonObject, JsonValue

__all__ = ["BASE_SUFFIX", "dispatched", "mapping_of"]

BASE_SUFFIX = "~base"
_DEFS = "#/$defs/"


def mapping_of(node: JsonValue) -> tuple[str, dict[str, str]] | None:
    """(property name, {tag: "#/$defs/<key>"}) of a discriminator the engine dispatches on."""
    if not isinstance(node, dict):
        return None
    discriminator = node.get("discriminator")
    if not isinstance(discriminator, dict) or "x-interop-style" not in discriminator:
        return None
    prop, mapping = discriminator.get("propertyName"), discriminator.get("mapping")
    if not isinstance(prop, str) or not isinstance(mapping, dict) or not mapping:
        return None
    return prop, {str(tag): str(target) for tag, target in mapping.items()}


def dispatched(document: JsonObject) -> JsonObject:
    """``document`` with every readable discriminator turned into a dispatch on its tag;
    ``document`` itself when it has none."""
    defs = document.get("$defs")
    if not isinstance(defs, dict) or not any(
        _has_discriminator(node) for node in (document, *defs.values())
    ):
        return document
    bases = {
        key
        for key, node in defs.items()
        if isinstance(node, dict)
        and mapping_of(node) is not None
        and node["discriminator"].get("x-interop-style") == "inheritance"
    }
    new_defs: dict[str, Any] = {}
    for key, node in defs.items():
        new_defs[key] = _rewrite(node, bases)
    for key in bases:
        node = defs[key]
        plain = {k: v for k, v in node.items() if k != "discriminator"}
        new_defs[key + BASE_SUFFIX] = _rewrite(plain, bases)
        new_defs[key] = _dispatch(node, {}, own=key)
    out = {k: (_rewrite(v, bases) if k != "$defs" else v) for k, v in document.items()}
    out["$defs"] = new_defs
    return out


def _has_discriminator(node: JsonValue) -> bool:
    """Whether ``node`` holds a discriminator the engine dispatches on."""
    if isinstance(node, dict):
        return mapping_of(node) is not None or any(
            _has_discriminator(v) for k, v in node.items() if k not in _LITERAL or k in _NAME_MAPS
        )
    if isinstance(node, list):
        return any(_has_discriminator(v) for v in node)
    return False


_LITERAL = frozenset({"enum", "const", "default", "examples", "required", "discriminator"})
_NAME_MAPS = frozenset({"properties", "patternProperties", "dependentSchemas"})


def _rewrite(node: JsonValue, bases: set[str]) -> JsonValue:
    if isinstance(node, list):
        return [_rewrite(item, bases) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _NAME_MAPS and isinstance(value, dict):
            out[key] = {name: _rewrite(sub, bases) for name, sub in value.items()}
        elif key in _LITERAL:
            out[key] = value
        elif key == "allOf" and isinstance(value, list):
            out[key] = [_base_ref(member, bases) for member in value]
        else:
            out[key] = _rewrite(value, bases)
    found = mapping_of(out)
    if found is not None and out["discriminator"].get("x-interop-style") == "choice":
        return _dispatch(out, out, own=None)
    return out


def _base_ref(member: JsonValue, bases: set[str]) -> JsonValue:
    """A child's ``allOf`` reference to its base reads the base itself, not the dispatch."""
    if isinstance(member, dict) and isinstance(member.get("$ref"), str):
        key = member["$ref"][len(_DEFS) :] if member["$ref"].startswith(_DEFS) else None
        if key in bases:
            return {**member, "$ref": _DEFS + key + BASE_SUFFIX}
    return _rewrite(member, bases)


def _dispatch(node: dict[str, Any], rewritten: dict[str, Any], *, own: str | None) -> JsonObject:
    """The dispatch on ``node``'s tag; ``own``: the key of a base schema (inheritance style),
    None for a ``oneOf``/``anyOf`` (whose other keywords, ``rewritten``, stay beside it)."""
    found = mapping_of(node)
    assert found is not None
    prop, mapping = found
    branches = []
    for tag, target in mapping.items():
        if own is not None and target == _DEFS + own:
            target = _DEFS + own + BASE_SUFFIX  # the base itself named in its own mapping
        branches.append(
            {
                "allOf": [
                    {"$ref": target},
                    {"type": "object", "required": [prop], "properties": {prop: {"const": tag}}},
                ]
            }
        )
    if own is not None:
        annotations = {
            k: v for k, v in node.items() if k in ("description", "title", "discriminator")
        }
        return {**annotations, "anyOf": branches}
    out = {k: v for k, v in rewritten.items() if k not in ("oneOf", "anyOf")}
    out["anyOf"] = branches
    return out
